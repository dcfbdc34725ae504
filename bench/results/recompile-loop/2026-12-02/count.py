import re,sys,glob,collections,os
for d in sys.argv[1:]:
    files=sorted(glob.glob(d+'/deopt*.log'), key=os.path.getmtime)
    print('==',d,len(files),'forks')
    for f in files:
        c=collections.Counter()
        for l in open(f):
            m=re.search(r'level=4 (\S+?)\(.*trap_bci=(\d+)(?: osr_bci=\d+)? (\w+) (\w+)',l)
            if m: c[(m.group(1).split('.')[-2]+'.'+m.group(1).split('.')[-1],m.group(2),m.group(3),m.group(4))]+=1
        tot=sum(c.values())
        print(os.path.basename(f), tot, c.most_common(2))
