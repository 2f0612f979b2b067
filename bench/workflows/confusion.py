# Confusion tables: relpolicy rules per fixture against zizmor labels and
# Scorecard dangerous-workflow fixture names (untrusted-* positive).
import sys
import json,os,glob
recs={r['path']:r for r in map(json.loads,open(sys.argv[3]))}
zbase=sys.argv[1]+'/zizmorcore+zizmor/crates/zizmor/tests/integration/test-data/'
m={'dangerous-triggers':{'RP207','RP211'},'template-injection':{'RP212'},'artipacked':{'RP218'},'unpinned-uses':{'RP214','RP216'}}
rows=[]
for o in json.load(open(sys.argv[2])):
    p=zbase+o['path']
    if p not in recs: continue
    got=bool(set(recs[p]['rules'] or [])&m[o['audit']])
    rows.append(('zizmor',o['audit'],o['path'],o['zizmor'],got,sorted(recs[p]['rules'] or [])))
sbase=sys.argv[1]+'/ossf+scorecard/checks/testdata/.github/workflows/'
for p in sorted(glob.glob(sbase+'github-workflow-dangerous-pattern-*.yml')):
    n=os.path.basename(p)
    kind='untrusted-checkout' if 'checkout' in n else 'script-injection' if 'injection' in n else 'trigger'
    want='-untrusted-' in n
    rules={'untrusted-checkout':{'RP211'},'script-injection':{'RP212'},'trigger':{'RP211','RP212'}}[kind]
    got=bool(set(recs[p]['rules'] or [])&rules)
    rows.append(('scorecard','dangerous-workflow/'+kind,n,want,got,sorted(recs[p]['rules'] or [])))
import collections
tab=collections.defaultdict(lambda:[0,0,0,0])
for tool,a,p,want,got,rules in rows:
    k=(tool,a); i={(True,True):0,(True,False):1,(False,True):2,(False,False):3}[(want,got)]
    tab[k][i]+=1
for k,v in sorted(tab.items()): print(k,'TP=%d FN=%d FP=%d TN=%d'%tuple(v))
print()
for r in rows:
    if r[3]!=r[4]: print(r)
