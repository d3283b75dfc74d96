"""Campaigns: many apps crawled, analysed, reported and gated in one go (``darkscan batch``).

Modules: spec (the campaign file), pipeline (one app: crawl -> analyze -> report -> gate, run
on any node), phones (which phone of this node a device crawl drives), cluster (Ray: tasks,
resources, retries, resume), index (campaign index.html, JUnit, summary.json).
"""
