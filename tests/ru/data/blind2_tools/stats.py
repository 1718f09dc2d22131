import json, collections as C
R=[json.loads(l) for l in open('/work/ru_sets/blind2/ru_blind2.jsonl')]
st={l.split('\t')[0]:l.split('\t')[1] for l in open('/work/ru_sets/blind2/ru_blind2_styles.tsv').read().splitlines()[1:]}
c=C.Counter
def show(name,cnt): print(name, dict(sorted(cnt.items(), key=lambda x:-x[1])))
show('task',c(r['parse']['model']['task'] for r in R))
show('style',c(st[r['id']] for r in R))
show('style x task',c((st[r['id']],r['parse']['model']['task'][:3]) for r in R))
show('gpu',c(r['parse']['deploy']['gpu'] for r in R))
show('engine',c(r['parse']['deploy']['inference engine'] for r in R))
for k in ['speed','flops','parameters']: show(k,c(r['parse']['model'][k]['unit'] for r in R))
show('metrics',c(m['name'] for r in R for m in r['parse']['model']['metrics']))
print('no metric', sum(not r['parse']['model']['metrics'] for r in R))
print('specific_model', sum(r['parse']['model']['specific_model']!='none' for r in R))
show('modality',c(r['parse']['data']['modality'] for r in R))
show('nobj',c(len(r['parse']['data']['object']) for r in R))
for r in R:
    if st[r['id']]=='chatty': print(r['id'], len(r['requirement'].split()), 'words')
