from darkscan.cli import main

raise SystemExit(main())
