# gaps (en)
