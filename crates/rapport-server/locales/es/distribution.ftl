# distribution
