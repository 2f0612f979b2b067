# Labels from zizmor's integration tests: for each single-input test run with the
# default persona, whether its inline snapshot reports one of four audits.
import re,glob,json,os
import sys
base=sys.argv[1]+'/zizmorcore+zizmor/crates/zizmor/tests/integration/'
audits={'dangerous-triggers':'dangerous_triggers','template-injection':'template_injection','artipacked':'artipacked','unpinned-uses':'unpinned_uses'}
labels={}  # (audit,path)->bool
for rs in glob.glob(base+'**/*.rs',recursive=True):
    src=open(rs).read()
    blocks=re.split(r'#\[test\]',src)[1:]
    for b in blocks:
        inputs=re.findall(r'input_under_test\(\s*"([^"]+)"\s*\)',b)
        if len(inputs)!=1: continue
        args=' '.join(re.findall(r'\.args\(\[([^\]]*)\]\)',b))
        if 'persona' in args: continue
        snap=b
        for a,mod in audits.items():
            pos=('['+a+']') in snap
            own=os.path.basename(rs)==mod+'.rs'
            key=(a,inputs[0])
            if pos: labels[key]=True
            elif own and key not in labels: labels[key]=False
out=[{'audit':a,'path':p,'zizmor':v} for (a,p),v in sorted(labels.items())]
json.dump(out,open(sys.argv[2],'w'),indent=0)
import collections
print(collections.Counter((o['audit'],o['zizmor']) for o in out))
missing=[o for o in out if not os.path.exists(base+'test-data/'+o['path'])]
print('missing',len(missing),[m['path'] for m in missing][:5])
