# gaps (es)
