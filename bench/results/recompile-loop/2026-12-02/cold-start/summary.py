import re,glob,statistics,sys
D=sys.argv[1] if len(sys.argv) > 1 else "."
for v in ['base','fix']:
    vals={}
    for f in sorted(glob.glob(f'{D}/{v}-*.txt')):
        for l in open(f):
            if not l.startswith('run '): continue
            for k in ['epoch1_samples_per_s','epoch2_samples_per_s','epoch3_samples_per_s','step1_ms','steps_2_10_samples_per_s','steps_11_100_samples_per_s','process_ms']:
                m=re.search(k+r'=([0-9.]+)',l)
                vals.setdefault(k,[]).append(float(m.group(1)))
    print(v, len(vals.get('process_ms',[])),'JVMs')
    for k,x in vals.items():
        print(f'  {k}: median {statistics.median(x):,.0f} (range {min(x):,.0f}-{max(x):,.0f})')
