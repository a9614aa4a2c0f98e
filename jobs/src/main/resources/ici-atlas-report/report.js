// the charts this page has (an output without an urbanization indicator has no scatter)
const charts = ['figure1', 'figure2', 'figure3', 'urbanization'].filter(id => document.getElementById(id + '-spec'));
const views = {};
const period = document.getElementById('period'), region = document.getElementById('region');
function apply() {
  const p = period.value, r = region.value;
  document.querySelectorAll('[data-period]').forEach(e => { e.hidden = e.dataset.period !== p; });
  document.querySelectorAll('tr[data-region]').forEach(tr => {
    tr.classList.toggle('chosen', r !== '' && tr.dataset.region === r);
    if (tr.closest('.table2')) { tr.hidden = r !== '' && tr.dataset.region !== r; }
  });
  const inPeriod = r === '' || document.querySelector(`div[data-period="${p}"] tr[data-region="${r}"]`) !== null;
  document.getElementById('region-note').textContent = inPeriod ? ''
    : region.selectedOptions[0].text + ' is not a cross-border region of ' + p + '.';
  // the selection the charts now show, for anything that waits on the page (a script that prints or exports it)
  return Promise.all(Object.values(views).map(v => v.signal('period', p).signal('region', r).runAsync())).then(() => {
    document.body.dataset.state = p + '|' + r;
  });
}
Promise.all(charts.map(id => vegaEmbed('#' + id + '-chart', JSON.parse(document.getElementById(id + '-spec').textContent),
    {actions: false, renderer: 'svg', mode: 'vega-lite'}).then(result => { views[id] = result.view; })))
  .then(apply).then(() => {
    period.addEventListener('change', apply);
    region.addEventListener('change', apply);
    document.body.dataset.rendered = 'yes';
  })
  .catch(e => { console.error('report: ' + e); document.body.dataset.rendered = 'failed'; });
