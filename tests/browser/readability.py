"""What a page must not show a Vietnamese user, as checks run in Chromium: shared by the browser tests
(tests/browser/conftest.py) and the screenshot walk of every page (scripts/page_walk.py)."""

import re

#: words that should never reach a Vietnamese user (field names, enum codes, English UI)
ENGLISH = re.compile(r"\b(None|True|False|null|undefined|NaN|Logout|Log in|Logged out|Submit|Save|Cancel|Delete|"
                     r"Edit|Search|Next|Previous|present|summoned|floor|reprimand|warning|committee|official|"
                     r"probationary|excellent|good|completed|not_completed|pending|running|failed|done|draft|closed|"
                     r"open)\b|\b[a-z]+_[a-z_]+\b|\b(member|org|congress|election|vote|appraisal|registry)\.[a-z_]+\b")

#: WCAG relative luminance contrast of each visible button and link against the first opaque background
#: behind it (as scripts/page_walk.py does); returns "text ratio" for those under 4.5:1
CONTRAST_JS = """() => {
  function rgb(s){const m=s.match(/rgba?\\(([^)]+)\\)/); if(!m) return null; const p=m[1].split(',').map(Number);
    return {r:p[0],g:p[1],b:p[2],a:p.length>3?p[3]:1};}
  function lum(c){const f=v=>{v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4)};
    return 0.2126*f(c.r)+0.7152*f(c.g)+0.0722*f(c.b);}
  function bg(el){while(el){const c=rgb(getComputedStyle(el).backgroundColor); if(c&&c.a>0.5) return c; el=el.parentElement;}
    return {r:255,g:255,b:255,a:1};}
  const bad=[];
  for (const el of document.querySelectorAll('button, a, input[type=submit], .button, summary')) {
    const r=el.getBoundingClientRect(); if(!r.width||!r.height) continue;
    const st=getComputedStyle(el); if(st.visibility==='hidden'||st.display==='none') continue;
    const fg=rgb(st.color), b=bg(el); if(!fg) continue;
    const l1=lum(fg), l2=lum(b); const ratio=(Math.max(l1,l2)+0.05)/(Math.min(l1,l2)+0.05);
    const text=(el.innerText||el.value||'').trim();
    if(ratio<4.5 && text) bad.push(text.slice(0,40)+' '+ratio.toFixed(2));
  }
  return bad;
}"""

#: every cell of every `table.list` takes room on the page (no column hidden on a phone)
HIDDEN_CELLS_JS = """() => {
  const bad = [];
  document.querySelectorAll('table.list').forEach((t, i) => {
    t.querySelectorAll('tbody td').forEach(td => {
      const st = getComputedStyle(td);
      if (st.display === 'none' || st.visibility === 'hidden' || td.offsetWidth === 0)
        bad.push(`table ${i + 1}, column ${td.cellIndex + 1}: ${td.innerText.trim().slice(0, 30)}`);
    });
  });
  return bad;
}"""
