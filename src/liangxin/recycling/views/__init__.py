"""The office side of the recycling network: registry, coverage, volumes."""
