from segment_unify.cli.main import main

raise SystemExit(main())
