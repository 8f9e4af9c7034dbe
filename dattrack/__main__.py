from dattrack.cli.app import main

main()
