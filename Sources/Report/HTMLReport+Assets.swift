/// The stylesheet and script inlined into `report.html`. Neither contains `<` or `&`, so the page stays well-formed
/// XML; the script is optional (sorting tables, collapsing sections) and everything reads without it.
enum HTMLAssets {
    static let stylesheet = """

        :root { color-scheme: light; --text: #222222; --muted: #5f5f5f; --line: #e1e4e8; --soft: #f5f6f8;
          --accent: #0072B2; --hot: #D55E00; --ink: #1f2a36; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: #ffffff; color: var(--text); font: 15px/1.5 Arial, 'Liberation Sans', Helvetica,
          'DejaVu Sans', sans-serif; }
        header.page { background: var(--ink); color: #ffffff; padding: 28px 32px 22px; }
        header.page h1 { margin: 0 0 6px; font-size: 26px; line-height: 1.25; overflow-wrap: anywhere; }
        header.page h1 code { background: rgba(255, 255, 255, 0.12); color: #ffffff; font-size: 0.85em; }
        header.page p { margin: 0; color: #c9d3dd; }
        nav.toc { position: sticky; top: 0; z-index: 2; background: #ffffff; border-bottom: 1px solid var(--line);
          padding: 8px 32px; display: flex; flex-wrap: wrap; gap: 4px 20px; }
        nav.toc a { color: var(--accent); text-decoration: none; font-weight: bold; font-size: 14px; }
        nav.toc a:hover { text-decoration: underline; }
        main { max-width: 1000px; margin: 0 auto; padding: 8px 32px 40px; }
        section { margin-top: 34px; scroll-margin-top: 48px; }
        h2 { font-size: 22px; margin: 0 0 14px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
        h3 { font-size: 17px; margin: 26px 0 10px; }
        h4 { font-size: 14px; margin: 0 0 4px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
        p { margin: 8px 0; }
        code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 0.9em; background: var(--soft);
          padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; }
        .card { background: var(--soft); border-radius: 8px; padding: 12px 16px; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; }
        .card .value { font-size: 28px; font-weight: bold; line-height: 1.2; margin: 2px 0; }
        .card .note { color: var(--muted); font-size: 13px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 18px 0 0; }
        dl.facts dt { color: var(--muted); font-weight: bold; }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .verdicts { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
        .verdict { border: 1px solid var(--line); border-left: 5px solid #9a9a9a; border-radius: 6px; padding: 12px 14px; }
        .verdict.finding { border-left-color: var(--hot); }
        .verdict.clear { border-left-color: #009E73; }
        .verdict .answer { font-size: 17px; font-weight: bold; margin: 2px 0 6px; }
        .verdict p { font-size: 14px; }
        figure.chart { margin: 14px 0 18px; }
        figure.chart svg { display: block; max-width: 100%; height: auto; }
        figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
        .table-wrap { overflow-x: auto; margin: 10px 0; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
        th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { background: var(--soft); font-size: 13px; white-space: nowrap; }
        table.compact { font-size: 13px; }
        td.num, th.num { text-align: right; white-space: nowrap; }
        tbody tr:hover { background: #fbf4ec; }
        table.sortable th { cursor: pointer; }
        table.sortable th:hover { color: var(--accent); }
        th[aria-sort='ascending']::after { content: ' \\25B2'; font-size: 10px; }
        th[aria-sort='descending']::after { content: ' \\25BC'; font-size: 10px; }
        details.table summary { cursor: pointer; color: var(--accent); font-weight: bold; margin: 8px 0; }
        .feature-name { font-weight: bold; }
        details.feature { border: 1px solid var(--line); border-radius: 8px; margin: 12px 0; padding: 0 16px; }
        details.feature summary { cursor: pointer; padding: 10px 0; overflow-wrap: anywhere; }
        details.feature summary .feature-name { font-size: 17px; }
        .kind { display: inline-block; font-size: 12px; color: var(--muted); border: 1px solid var(--line);
          border-radius: 10px; padding: 0 8px; margin: 0 4px; vertical-align: 2px; }
        .meta { color: var(--muted); font-size: 13px; }
        .controls button { font: inherit; font-size: 13px; padding: 4px 12px; border: 1px solid var(--line);
          border-radius: 4px; background: #ffffff; cursor: pointer; }
        ul.guide li { margin: 4px 0; }
        footer { max-width: 1000px; margin: 0 auto; padding: 12px 32px 32px; color: var(--muted); font-size: 13px;
          border-top: 1px solid var(--line); }
        @media (max-width: 640px) { main, footer { padding-left: 14px; padding-right: 14px; }
          header.page { padding: 20px 14px; } nav.toc { padding: 8px 14px; } }
        @media print { nav.toc, .controls { display: none; } details.feature { break-inside: avoid; } }

        """

    /// Sorts tables by a clicked heading, toggles the feature sections, and records script errors in
    /// `data-faultline-errors` on the root element (and `data-faultline-ready` when it ran to the end), which the
    /// browser test reads.
    static let script = """
        (function () {
          'use strict';
          var root = document.documentElement;
          window.addEventListener('error', function (event) {
            var previous = root.getAttribute('data-faultline-errors') || '';
            root.setAttribute('data-faultline-errors', previous + (event.message || 'error') + '; ');
          });
          function sortKey(row, column) {
            var cell = row.cells[column];
            if (!cell) { return ''; }
            var value = cell.getAttribute('data-value');
            if (value === null) { return cell.textContent.trim().toLowerCase(); }
            var number = parseFloat(value);
            return isNaN(number) ? -Infinity : number;
          }
          Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
            if (!table.tHead || !table.tBodies.length) { return; }
            var headers = table.tHead.rows[0].cells;
            Array.prototype.forEach.call(headers, function (header, column) {
              header.setAttribute('tabindex', '0');
              header.setAttribute('title', 'Sort by this column');
              function sort() {
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                var ascending = header.getAttribute('aria-sort') !== 'ascending';
                rows.sort(function (a, b) {
                  var x = sortKey(a, column);
                  var y = sortKey(b, column);
                  if (x === y) { return 0; }
                  return (x > y ? 1 : -1) * (ascending ? 1 : -1);
                });
                Array.prototype.forEach.call(headers, function (other) { other.removeAttribute('aria-sort'); });
                header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
                rows.forEach(function (row) { body.appendChild(row); });
              }
              header.addEventListener('click', sort);
              header.addEventListener('keydown', function (event) {
                if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); }
              });
            });
          });
          var toggle = document.getElementById('toggle-features');
          if (toggle) {
            toggle.hidden = false;
            toggle.addEventListener('click', function () {
              var collapse = toggle.getAttribute('aria-pressed') !== 'true';
              Array.prototype.forEach.call(document.querySelectorAll('details.feature'), function (details) {
                details.open = !collapse;
              });
              toggle.setAttribute('aria-pressed', collapse ? 'true' : 'false');
              toggle.textContent = collapse ? 'Expand all features' : 'Collapse all features';
            });
          }
          root.setAttribute('data-faultline-ready', 'true');
        })();
        """
}
