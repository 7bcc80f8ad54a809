# home (en)
