# home (es)
