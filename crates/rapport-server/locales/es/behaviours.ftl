# behaviours (es)
