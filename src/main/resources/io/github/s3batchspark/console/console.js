// The console's pages: every element is built here from the JSON the server answers, and
// every value from a job (keys, messages, descriptions: user data) is set with textContent,
// never as markup. Changes are POSTs carrying the session's CSRF token.
'use strict';

const POLL_MILLIS = 2000;
const SVG = 'http://www.w3.org/2000/svg';
let csrfToken = null;

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

function showMessage(text) {
  document.getElementById('message').textContent = text || '';
}

async function getJson(url) {
  const response = await fetch(url, {credentials: 'same-origin'});
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

async function post(url, text) {
  if (csrfToken === null) csrfToken = (await getJson('api/session')).csrfToken;
  const response = await fetch(url, {
    method: 'POST', credentials: 'same-origin',
    headers: {'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json'},
    body: text === undefined ? '' : text
  });
  return {ok: response.ok, body: await response.json()};
}

function progressBar(job) {
  const bar = el('span', null, 'bar');
  const done = el('div', null, 'bar-done');
  done.style.width = job.percentDone + '%';
  bar.appendChild(done);
  const cell = el('td');
  cell.className = 'progress';
  cell.dataset.percent = job.percentDone;
  cell.dataset.done = job.succeeded + job.failed;
  cell.appendChild(bar);
  cell.appendChild(el('span', ' ' + (job.succeeded + job.failed) + ' / ' + job.total
      + ' (' + job.percentDone + '%)' + (job.failed > 0 ? ', ' + job.failed + ' failed' : '')));
  return cell;
}

// The list page: one row per job, refreshed every two seconds (rebuilt only when it changed,
// so that a row being read or clicked stays the same element).
let shownList = null;

async function refreshList() {
  try {
    const list = await getJson('api/jobs');
    const text = JSON.stringify(list);
    if (text === shownList) return;
    shownList = text;
    const body = document.querySelector('#jobs tbody');
    body.replaceChildren(...list.jobs.map(job => {
      const row = el('tr');
      row.dataset.jobId = job.jobId;
      const link = el('a', job.jobId);
      link.href = 'job?id=' + encodeURIComponent(job.jobId);
      const idCell = el('td');
      idCell.appendChild(link);
      row.append(idCell, el('td', job.description, 'description'), el('td', job.status, 'status'),
          el('td', job.priority, 'priority'), progressBar(job),
          el('td', job.objectsPerSecond, 'rate'), el('td', job.creationTime));
      return row;
    }));
    showMessage('');
  } catch (e) {
    showMessage('Cannot read the jobs: ' + e.message);
  }
}

async function createJob(event) {
  event.preventDefault();
  const problems = document.getElementById('create-problems');
  problems.replaceChildren();
  const result = await post('api/create', document.getElementById('create-json').value);
  if (result.ok) {
    window.location.href = 'job?id=' + encodeURIComponent(result.body.jobId);
    return;
  }
  for (const p of (result.body.problems || [{field: null, message: result.body.error}])) {
    const item = el('li');
    if (p.field) {
      item.appendChild(el('span', p.field, 'field'));
      item.appendChild(document.createTextNode(': '));
    }
    item.appendChild(el('span', p.message, 'problem'));
    problems.appendChild(item);
  }
}

// The job page: summary, controls, a chart of tasks done drawn from the samples polled here.
const samples = [];

function jobId() {
  return new URLSearchParams(window.location.search).get('id');
}

function drawChart(total) {
  const svg = document.getElementById('chart');
  svg.replaceChildren();
  if (samples.length === 0) return;
  const t0 = samples[0].t;
  const span = Math.max(1, samples[samples.length - 1].t - t0);
  const top = Math.max(1, total, ...samples.map(s => s.done));
  const points = samples.map(s => (10 + 580 * (s.t - t0) / span).toFixed(1) + ','
      + (190 - 180 * s.done / top).toFixed(1));
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#3a7');
  line.setAttribute('stroke-width', '2');
  svg.appendChild(line);
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', '12');
  label.setAttribute('y', '16');
  label.textContent = samples[samples.length - 1].done + ' of ' + total + ' tasks done';
  svg.appendChild(label);
}

let shownJob = null;

function showJob(job) {
  samples.push({t: Date.now() / 1000, done: job.succeeded + job.failed});
  drawChart(job.total);
  const text = JSON.stringify(job);
  if (text === shownJob) return; // nothing new: the elements stay as they are
  shownJob = text;
  document.getElementById('job-id').textContent = job.jobId;
  const summary = document.getElementById('summary');
  summary.replaceChildren();
  const fields = [['Description', job.description, 'description'], ['Status', job.status, 'status'],
      ['Priority', job.priority, 'priority'], ['Operation', job.operation, 'operation'],
      ['Objects/s', job.objectsPerSecond, 'rate'], ['Created', job.creationTime, 'created'],
      ['Ended', job.terminationDate, 'ended'], ['Reason', job.statusUpdateReason, 'reason'],
      ['Run', job.runner, 'runner']];
  for (const [name, value, id] of fields) {
    if (value === null || value === undefined) continue;
    summary.append(el('dt', name), el('dd', value, 'summary-' + id));
  }
  for (const f of job.failureReasons) {
    summary.append(el('dt', 'Failed'), el('dd', f.code + ': ' + f.reason, 'summary-failure'));
  }
  const progress = document.getElementById('progress');
  progress.replaceChildren(progressBar(job));
  document.getElementById('confirm-button').disabled = !job.canConfirm;
  document.getElementById('cancel-button').disabled = !job.canCancel;
  showReport(job);
  const failures = document.querySelector('#failures tbody');
  failures.replaceChildren(...job.failures.map(group => {
    const row = el('tr');
    row.dataset.errorCode = group.errorCode;
    const examples = el('ul', null, 'examples');
    for (const x of group.examples) {
      examples.appendChild(el('li', 's3://' + x.bucket + '/' + x.key
          + (x.resultMessage ? ': ' + x.resultMessage : ''), 'example'));
    }
    const exampleCell = el('td');
    exampleCell.appendChild(examples);
    row.append(el('td', group.errorCode, 'code'), el('td', group.httpStatusCode, 'http'),
        el('td', group.count, 'count'), exampleCell);
    return row;
  }));
}

// The completion report: its s3:// location, opened through the console (a browser opens no
// s3:// address), and the results files its manifest lists. Read once per location: the
// report is written when the job ends.
let shownReport;

async function showReport(job) {
  if (job.reportLocation === shownReport) return;
  shownReport = job.reportLocation;
  const report = document.getElementById('report');
  const files = document.getElementById('report-files');
  report.replaceChildren();
  files.replaceChildren();
  if (!job.reportLocation) {
    report.textContent = 'No completion report yet: it is written when the job ends.';
    return;
  }
  const address = 'report?id=' + encodeURIComponent(job.jobId);
  const link = el('a', job.reportLocation);
  link.id = 'report-link';
  link.href = address;
  report.appendChild(link);
  try {
    const manifest = await getJson(address);
    for (const result of manifest.Results || []) {
      const file = el('a', result.Key.substring(result.Key.lastIndexOf('/') + 1), 'report-file');
      file.href = address + '&file=' + encodeURIComponent(result.Key);
      const item = el('li');
      item.append(file, document.createTextNode(' (' + result.TaskExecutionStatus + ')'));
      files.appendChild(item);
    }
  } catch (e) {
    shownReport = undefined; // read again at the next refresh
    showMessage('Cannot read the completion report: ' + e.message);
  }
}

async function refreshJob() {
  try {
    showJob(await getJson('api/job?id=' + encodeURIComponent(jobId())));
  } catch (e) {
    showMessage('Cannot read the job: ' + e.message);
  }
}

async function change(query) {
  const result = await post('api/' + query + '&id=' + encodeURIComponent(jobId()));
  if (result.ok) {
    showMessage('');
    showJob(result.body);
  } else {
    showMessage(result.body.error);
  }
}

function startJobPage() {
  document.getElementById('confirm-button').addEventListener('click',
      () => change('status?status=Ready'));
  document.getElementById('cancel-button').addEventListener('click',
      () => change('status?status=Cancelled'));
  document.getElementById('priority-button').addEventListener('click', () => change(
      'priority?priority=' + encodeURIComponent(document.getElementById('priority-input').value)));
  refreshJob();
  setInterval(refreshJob, POLL_MILLIS);
}

function startListPage() {
  document.getElementById('create').addEventListener('submit', createJob);
  refreshList();
  setInterval(refreshList, POLL_MILLIS);
}

document.addEventListener('DOMContentLoaded', () => {
  if (document.body.dataset.page === 'job') startJobPage(); else startListPage();
});
