import socket, sys, time
n=int(sys.argv[1]); t0=time.monotonic(); socks=[]
for i in range(n):
    a=time.monotonic()
    s=socket.socket(); s.connect(('127.0.0.1',18099)); socks.append(s)
    d=time.monotonic()-a
    if d>0.2: print('slow', i, round(a-t0,2), round(d,2))
print(n, 'opened in', round(time.monotonic()-t0,2))
