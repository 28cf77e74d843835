"""The strategy as a website: `stratctl site` writes every objective's and risk's history, the strategic
objectives, committees and executives, and the archive of the quarters' papers, as plain HTML pages.

One job a module:

- `paths`: where each page lives and the links between pages;
- `history`: what the site keeps of each quarter's status (positions, counts, what changed);
- `views`: what each page shows, as plain data for its template;
- `pages`: the pages rendered through the templates (templates/site/), into
- `folder`: the folder the site is written into, all or nothing.
"""
