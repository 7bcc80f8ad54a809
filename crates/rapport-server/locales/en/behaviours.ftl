# behaviours (en)
