// The live page of `tfcv watch`: the annotated MJPEG stream in an <img>, and the numbers
// (fps, capture-to-result latency p50 / p99, dropped frames, queue depth, counts per class
// or pass / fail) updated from the server-sent events. Plain HTML, no external resources.

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function watchPage(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tfcv watch: ${escape(title)}</title>
<style>
 body{margin:0;font:14px system-ui,sans-serif;background:#111;color:#eee;display:flex;gap:16px;padding:16px}
 img{image-rendering:pixelated;background:#000;border:1px solid #333;width:512px;height:auto;min-height:256px}
 table{border-collapse:collapse} td{padding:3px 10px 3px 0} td.v{font-variant-numeric:tabular-nums;text-align:right;font-weight:600}
 h1{font-size:16px;margin:0 0 8px} .pass{color:#4c4} .fail{color:#f55} #state{color:#aaa}
</style></head>
<body>
<img id="video" src="/stream.mjpg" alt="annotated stream">
<div>
<h1>${escape(title)}</h1>
<div id="state">connecting…</div>
<table>
<tr><td>processed fps</td><td class="v" id="fps">–</td></tr>
<tr><td>latency p50</td><td class="v" id="p50">–</td></tr>
<tr><td>latency p99</td><td class="v" id="p99">–</td></tr>
<tr><td>frames</td><td class="v" id="frames">–</td></tr>
<tr><td>processed</td><td class="v" id="processed">–</td></tr>
<tr><td>dropped</td><td class="v" id="dropped">–</td></tr>
<tr><td>queue depth</td><td class="v" id="queued">–</td></tr>
</table>
<h1 style="margin-top:12px">last frame</h1>
<table id="counts"></table>
</div>
<script>
const $ = (id) => document.getElementById(id);
const ms = (x) => x.toFixed(1) + ' ms';
const events = new EventSource('/events');
events.addEventListener('stats', (e) => {
  const s = JSON.parse(e.data);
  $('fps').textContent = s.fps.toFixed(1);
  $('p50').textContent = ms(s.recentLatencyMs.p50);
  $('p99').textContent = ms(s.recentLatencyMs.p99);
  $('frames').textContent = s.frames;
  $('processed').textContent = s.processed;
  $('dropped').textContent = s.dropped;
  $('queued').textContent = s.queued;
  $('state').textContent = s.policy + ' policy, ' + Object.values(s.sources).map((x) => x.source.state).join(', ');
});
events.addEventListener('frame', (e) => {
  const f = JSON.parse(e.data);
  const rows = Object.entries(f.counts).map(([k, n]) =>
    '<tr><td class="' + (k === 'pass' || k === 'fail' ? k : '') + '">' + k + '</td><td class="v">' + n + '</td></tr>');
  $('counts').innerHTML = rows.join('') || '<tr><td>nothing found</td></tr>';
});
events.onerror = () => { $('state').textContent = 'disconnected'; };
</script>
</body></html>
`;
}
