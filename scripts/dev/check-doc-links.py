#!/usr/bin/env python3
"""Checks that every relative link in README.md, docs/*.md and notebooks/README.md names a file
that exists and, for a Markdown file, a heading anchor it has (GitHub's slugs). Prints each
broken link and exits 1 when there is one. Run from the checkout: scripts/dev/check-doc-links.py"""
import re, os, sys, glob
def slug(h):
    h = h.strip().lower()
    h = re.sub(r'[^\w\- ]', '', h)   # GitHub: drop punctuation except - and _
    return h.replace(' ', '-')
def anchors(path):
    out=set(); seen={}
    incode=False
    for line in open(path):
        if line.startswith('```'): incode=not incode; continue
        if incode: continue
        m=re.match(r'#{1,6} (.*)', line)
        if m:
            s=slug(m.group(1)); n=seen.get(s,0); seen[s]=n+1
            out.add(s if n==0 else f"{s}-{n}")
    return out
bad=0
files=['README.md']+sorted(glob.glob('docs/*.md'))+['notebooks/README.md']
for f in files:
    text=open(f).read()
    text=re.sub(r'```.*?```','',text,flags=re.S)
    for m in re.finditer(r'\]\(([^)\s]+)\)', text):
        t=m.group(1)
        if re.match(r'https?:|mailto:', t): continue
        path,_,frag=t.partition('#')
        target=os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        if not os.path.exists(target):
            print(f"{f}: missing file {t}"); bad+=1; continue
        if frag and target.endswith('.md') and frag not in anchors(target):
            print(f"{f}: missing anchor {t}"); bad+=1
sys.exit(1 if bad else 0)
