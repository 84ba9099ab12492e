from ffet_flow.cli import main

raise SystemExit(main())
