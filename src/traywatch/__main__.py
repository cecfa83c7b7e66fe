from traywatch.cli import main

raise SystemExit(main())
