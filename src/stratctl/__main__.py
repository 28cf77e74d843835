from stratctl.cli import main

main()
