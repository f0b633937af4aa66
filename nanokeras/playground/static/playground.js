// nanokeras playground: draws what the server streams, and sends the learner's choices back.
// The server owns all state; this page only shows the latest `setup` and `frame` messages.
"use strict";

// The same palette as nanokeras/playground/render.py.
const CLASS_COLORS = ["#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                      "#7f7f7f", "#bcbd22", "#17becf"];
const DATASET_TITLES = {blobs: "blobs", moons: "moons", circles: "circles", xor: "xor", spiral: "spiral",
                        uploaded: "your file"};

let setup = null;      // the latest set-up message
let frame = null;      // the latest frame message
let library = "nanokeras";
const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ talking to the server
async function post(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  const reply = await response.json().catch(() => ({error: `The server answered ${response.status}.`}));
  if (!response.ok) showMessage(reply.error || `The server answered ${response.status}.`);
  else showMessage(null);
  return reply;
}

// A refused change leaves the server as it was: put the controls back to match it.
async function changeSettings(changes) {
  const reply = await post("/api/settings", changes);
  if (reply.error && setup) showSettings();
  return reply;
}

function showMessage(text) {
  const box = $("message");
  box.hidden = !text;
  box.textContent = text || "";
}

function connect() {
  const events = new EventSource("/events");
  events.addEventListener("setup", (event) => onSetup(JSON.parse(event.data)));
  events.addEventListener("frame", (event) => onFrame(JSON.parse(event.data)));
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) showMessage("Lost the connection to the playground server.");
  };
}

// ------------------------------------------------------------------------- colours
function rgb(hex) { return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)); }
const CLASS_RGB = CLASS_COLORS.map(rgb);

// Likeliest class's colour, faded to white as its probability falls to chance (as render.py does).
function boundaryColor(predicted, confidence, classes) {
  const chance = 1 / classes;
  const strength = Math.min(1, Math.max(0, (confidence / 255 - chance) / (1 - chance))) * 0.75;
  const color = CLASS_RGB[predicted % CLASS_RGB.length];
  return color.map((c) => Math.round(255 * (1 - strength) + c * strength));
}

// A unit's activation in [-1, 1]: orange below zero, white at zero, blue above.
function unitColor(value) {
  const t = value / 127.5 - 1;
  const color = t < 0 ? CLASS_RGB[0] : CLASS_RGB[1];
  const strength = Math.min(1, Math.abs(t)) * 0.9;
  return color.map((c) => Math.round(255 * (1 - strength) + c * strength));
}

function decode(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// Paints `size` x `size` pixels from `colorOf(i)` onto `canvas`, scaled smoothly.
function paint(canvas, size, colorOf) {
  const small = document.createElement("canvas");
  small.width = small.height = size;
  const context = small.getContext("2d");
  const image = context.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const [r, g, b] = colorOf(i);
    image.data.set([r, g, b, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  const target = canvas.getContext("2d");
  target.imageSmoothingEnabled = true;
  target.imageSmoothingQuality = "high";
  target.clearRect(0, 0, canvas.width, canvas.height);
  target.drawImage(small, 0, 0, canvas.width, canvas.height);
}

// ---------------------------------------------------------------------- the set-up
function onSetup(message) {
  setup = message;
  document.body.classList.toggle("model-mode", setup.mode === "model");
  fillChoices();
  showSettings();
  showLesson();
  buildNetwork();
  drawLegend();
  showCode();
  if (frame && frame.generation === setup.generation) onFrame(frame);
  else drawBoundary();
}

function fillSelect(select, values, format) {
  const wanted = values.map(String).join("|");
  if (select.dataset.values === wanted) return;
  select.dataset.values = wanted;
  select.innerHTML = "";
  for (const value of values) {
    const option = document.createElement("option");
    option.value = String(value);
    option.textContent = format ? format(value) : String(value);
    select.appendChild(option);
  }
}

function fillChoices() {
  const choices = setup.choices;
  fillSelect($("speed"), choices.speed);
  if (setup.mode === "model") return;
  fillSelect($("activation"), choices.activation);
  fillSelect($("optimizer"), choices.optimizer);
  fillSelect($("learning_rate"), choices.learning_rate);
  fillSelect($("l2"), choices.l2, (v) => (v === 0 ? "none" : String(v)));
  fillSelect($("dropout"), choices.dropout, (v) => (v === 0 ? "none" : String(v)));
  const presets = $("preset");
  if (presets.options.length === 1) {
    for (const [name, lesson] of Object.entries(setup.presets)) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = lesson.title;
      presets.appendChild(option);
    }
  }
  const tiles = $("datasets");
  const names = choices.dataset.join("|");
  if (tiles.dataset.names !== names) {
    tiles.dataset.names = names;
    tiles.innerHTML = "";
    for (const name of choices.dataset) {
      const button = document.createElement("button");
      button.id = `dataset-${name}`;
      button.dataset.name = name;
      const icon = document.createElement("canvas");
      icon.width = icon.height = 48;
      drawDatasetIcon(icon, name);
      button.append(icon, DATASET_TITLES[name] || name);
      button.addEventListener("click", () => changeSettings({dataset: name}));
      tiles.appendChild(button);
    }
  }
}

function selectValue(select, value) {
  const match = Array.from(select.options).find((option) => Number(option.value) === value || option.value === value);
  if (!match) {  // a value set from Python, outside the page's list: show it too
    const option = document.createElement("option");
    option.value = option.textContent = String(value);
    select.appendChild(option);
    select.value = option.value;
  } else select.value = match.value;
}

function showLesson() {
  const lesson = setup.lesson ? setup.presets[setup.lesson] : null;
  $("lesson").hidden = !lesson;
  $("lesson-title").textContent = lesson ? lesson.title : "";
  $("lesson-text").textContent = lesson ? lesson.text : "";
}

function showSettings() {
  const s = setup.settings;
  selectValue($("speed"), s.speed);
  $("batch_size").value = s.batch_size;
  $("epochs-input").value = s.epochs;
  $("summary").hidden = setup.mode !== "model";
  if (setup.mode === "model") {
    $("summary").textContent = setup.summary;
    return;
  }
  for (const button of $("datasets").children) button.classList.toggle("active", button.dataset.name === s.dataset);
  for (const name of ["points", "noise", "test_fraction"]) {
    $(name).value = s[name];
    showSliderValue(name);
    $(name).disabled = s.dataset === "uploaded" && name !== "test_fraction";
  }
  $("seed").value = s.seed;
  selectValue($("activation"), s.activation);
  selectValue($("optimizer"), s.optimizer);
  selectValue($("learning_rate"), s.learning_rate);
  selectValue($("l2"), s.l2);
  selectValue($("dropout"), s.dropout);
  $("uploaded").textContent = setup.uploaded ? `Uploaded: ${setup.uploaded}` : "";
  $("add-layer").disabled = s.hidden.length >= setup.choices.max_hidden_layers;
  $("remove-layer").disabled = s.hidden.length === 0;
  $("layer-count").textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? "" : "s"}`;
}

function showSliderValue(name) {
  const value = Number($(name).value);
  $(`${name}-value`).textContent = name === "test_fraction" ? `${Math.round(value * 100)}%` : String(value);
}

// Columns: the two inputs, each hidden layer's units (their pictures), then the output.
function buildNetwork() {
  const network = $("network");
  network.innerHTML = "";
  const column = (title) => {
    const element = document.createElement("div");
    element.className = "layer-column";
    const heading = document.createElement("div");
    heading.className = "title";
    heading.innerHTML = title;
    element.appendChild(heading);
    network.appendChild(element);
    return element;
  };
  const inputs = column("<b>Input</b><br>x₁, x₂");
  for (const feature of [0, 1]) {
    const canvas = unitCanvas(`input-${feature}`);
    canvas.title = feature === 0 ? "x₁: the first feature" : "x₂: the second feature";
    inputs.appendChild(canvas);
    const size = 24;
    paint(canvas, size, (i) => {
      const value = feature === 0 ? (i % size) / (size - 1) : 1 - Math.floor(i / size) / (size - 1);
      return unitColor(value * 255);
    });
  }
  const settings = setup.settings;
  const widest = Math.max(2, ...setup.layers.map((layer) => layer.units));
  network.style.setProperty("--unit-size", `${widest <= 6 ? 52 : widest <= 10 ? 40 : 30}px`);
  setup.layers.forEach((layer, index) => {
    const editable = setup.mode !== "model";
    const activation = editable ? ` · ${settings.activation}` : "";
    const element = column(`<b>${layer.name}</b><br>${layer.units} unit${layer.units === 1 ? "" : "s"}${activation}`);
    if (editable) {
      const buttons = document.createElement("div");
      buttons.className = "unit-buttons";
      const minus = button("−", () => changeUnits(index, -1));
      const plus = button("+", () => changeUnits(index, +1));
      minus.disabled = settings.hidden[index] <= 1;
      plus.disabled = settings.hidden[index] >= setup.choices.max_units;
      minus.title = "one unit fewer";
      plus.title = "one unit more";
      buttons.append(minus, plus);
      element.appendChild(buttons);
    }
    for (let unit = 0; unit < layer.units; unit++) {
      const canvas = unitCanvas(`unit-${index}-${unit}`);
      canvas.title = `${layer.name}, unit ${unit + 1}: its activation over the plane`;
      element.appendChild(canvas);
    }
  });
  const output = column(`<b>Output</b><br>${setup.classes.length === 2 ? "sigmoid" : "softmax"}`);
  const outputCanvas = unitCanvas("output-0");
  outputCanvas.classList.add("output-unit");
  outputCanvas.title = "the output: the decision boundary";
  output.appendChild(outputCanvas);
  const lines = document.createElement("canvas");
  lines.id = "network-lines";
  network.prepend(lines);
}

// Lines between units: blue for a positive weight, orange for a negative one, thicker when larger.
function drawConnections() {
  const network = $("network");
  const lines = $("network-lines");
  if (!lines) return;
  lines.width = network.scrollWidth;
  lines.height = network.scrollHeight;
  const context = lines.getContext("2d");
  context.clearRect(0, 0, lines.width, lines.height);
  const kernels = (frame && frame.weights) || [];
  const origin = network.getBoundingClientRect();
  const anchor = (id, side) => {
    const box = $(id).getBoundingClientRect();
    return [box.left - origin.left + network.scrollLeft + (side === "out" ? box.width : 0),
            box.top - origin.top + box.height / 2];
  };
  const columns = [["input-0", "input-1"]];
  setup.layers.forEach((layer, index) => {
    columns.push(Array.from({length: layer.units}, (_, unit) => `unit-${index}-${unit}`));
  });
  columns.push(["output-0"]);
  kernels.forEach((kernel, c) => {
    if (c + 1 >= columns.length) return;
    const largest = Math.max(1e-9, ...kernel.flat().map(Math.abs));
    kernel.forEach((row, i) => {
      row.forEach((weight, j) => {
        const from = columns[c][i];
        const to = columns[c + 1][Math.min(j, columns[c + 1].length - 1)];
        if (!from || !to || !$(from) || !$(to)) return;
        const [x1, y1] = anchor(from, "out");
        const [x2, y2] = anchor(to, "in");
        context.strokeStyle = weight < 0 ? "rgba(245, 147, 34, 0.75)" : "rgba(8, 119, 189, 0.75)";
        context.lineWidth = 0.4 + 3.2 * Math.abs(weight) / largest;
        context.beginPath();
        context.moveTo(x1, y1);
        context.bezierCurveTo((x1 + x2) / 2, y1, (x1 + x2) / 2, y2, x2, y2);
        context.stroke();
      });
    });
  });
}

function unitCanvas(id) {
  const canvas = document.createElement("canvas");
  canvas.className = "unit";
  canvas.id = id;
  canvas.width = canvas.height = 52;
  return canvas;
}

function button(text, onClick) {
  const element = document.createElement("button");
  element.textContent = text;
  element.addEventListener("click", onClick);
  return element;
}

function changeUnits(index, delta) {
  const hidden = setup.settings.hidden.slice();
  hidden[index] += delta;
  changeSettings({hidden});
}

function drawLegend() {
  const legend = $("legend");
  legend.innerHTML = "";
  setup.classes.forEach((name, index) => {
    const item = document.createElement("span");
    item.style.setProperty("--dot", CLASS_COLORS[index % CLASS_COLORS.length]);
    item.textContent = `class ${name}`;
    legend.appendChild(item);
  });
}

// ----------------------------------------------------------------------- the code
const PYTHON_KEYWORDS = new Set(["def", "return", "import", "as", "for", "in", "if", "else", "from", "lambda",
                                 "None", "True", "False", "and", "or", "not", "with"]);

function highlight(code) {
  const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const token = /(#[^\n]*)|("""[\s\S]*?"""|"[^"\n]*"|'[^'\n]*')|(\b\d+(?:\.\d*)?(?:e[-+]?\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)(?=\()|([A-Za-z_][A-Za-z0-9_]*)/g;
  let html = "";
  let last = 0;
  code.replace(token, (match, comment, string, number, call, word, offset) => {
    html += escape(code.slice(last, offset));
    let kind = null;
    if (comment) kind = "com";
    else if (string) kind = "str";
    else if (number) kind = "num";
    else if (call) kind = PYTHON_KEYWORDS.has(call) ? "kw" : "fn";
    else if (PYTHON_KEYWORDS.has(word)) kind = "kw";
    html += kind ? `<span class="${kind}">${escape(match)}</span>` : escape(match);
    last = offset + match.length;
    return match;
  });
  return html + escape(code.slice(last));
}

function showCode() {
  const code = setup.code[library] || setup.code.nanokeras;
  $("code").innerHTML = highlight(code);
  $("download-code").href = `/api/code.py?library=${library}`;
  for (const tab of document.querySelectorAll("#library-tabs .tab")) {
    tab.classList.toggle("active", tab.dataset.library === library);
  }
}

// ------------------------------------------------------------------------ a frame
function onFrame(message) {
  frame = message;
  if (!setup || frame.generation !== setup.generation) return;  // a frame of a set-up since replaced
  showStatus();
  drawBoundary();
  drawUnits();
  showMetrics();
  drawCurve($("loss-curve"), "loss", false);
  drawCurve($("accuracy-curve"), accuracyName(), true);
}

function showStatus() {
  const status = frame.status;
  $("status").textContent = status;
  $("status").className = `status ${status}`;
  $("epoch").textContent = String(frame.epoch);
  $("epochs").textContent = String(frame.epochs);
  const steps = Math.max(1, Math.ceil(trainingCount() / setup.settings.batch_size));
  const progress = Math.min(1, (frame.epoch + frame.batch / steps) / frame.epochs);
  $("progress-bar").style.width = `${(progress * 100).toFixed(1)}%`;
  $("train").disabled = status === "training";
  $("pause").disabled = status !== "training";
  $("step").disabled = false;
  $("train").title = status === "done" ? "Train again from new weights" : "Train: run model.fit";
  if (status === "error") showMessage(`Training stopped: ${frame.message}. Change a setting or press Reset.`);
}

function trainingCount() { return setup.points.train.length; }

function drawBoundary() {
  const canvas = $("boundary");
  const context = canvas.getContext("2d");
  if (frame && setup && frame.generation === setup.generation) {
    const size = setup.boundary_size;
    const predicted = decode(frame.predicted);
    const confidence = decode(frame.confidence);
    const classes = setup.classes.length;
    paint(canvas, size, (i) => boundaryColor(predicted[i], confidence[i], classes));
  } else context.clearRect(0, 0, canvas.width, canvas.height);
  if (!setup) return;
  const [xMin, xMax, yMin, yMax] = setup.extent;
  const toPixel = (x, y) => [(x - xMin) / (xMax - xMin) * canvas.width, (yMax - y) / (yMax - yMin) * canvas.height];
  const dot = (point, hollow) => {
    const [px, py] = toPixel(point[0], point[1]);
    context.beginPath();
    context.arc(px, py, 3.6, 0, 2 * Math.PI);
    const color = CLASS_COLORS[point[2] % CLASS_COLORS.length];
    context.fillStyle = hollow ? "#ffffff" : color;
    context.strokeStyle = hollow ? color : "#ffffff";
    context.lineWidth = hollow ? 1.8 : 1;
    context.fill();
    context.stroke();
  };
  for (const point of setup.points.train) dot(point, false);
  if ($("show-test").checked) for (const point of setup.points.test) dot(point, true);
  drawAxes(context, canvas, toPixel);
}

function drawAxes(context, canvas, toPixel) {
  const [xMin, xMax, yMin, yMax] = setup.extent;
  context.fillStyle = "rgba(31, 42, 51, 0.55)";
  context.font = "11px system-ui, sans-serif";
  const ticks = (low, high) => {
    const step = Math.pow(10, Math.floor(Math.log10((high - low) / 2)));
    const values = [];
    for (let v = Math.ceil(low / step) * step; v <= high; v += step) values.push(Math.round(v / step) * step);
    return values.length > 6 ? values.filter((_, i) => i % 2 === 0) : values;
  };
  for (const x of ticks(xMin, xMax)) {
    const [px] = toPixel(x, 0);
    context.fillText(formatTick(x), px + 2, canvas.height - 4);
    context.fillRect(px, canvas.height - 3, 1, 3);
  }
  for (const y of ticks(yMin, yMax)) {
    const [, py] = toPixel(0, y);
    context.fillText(formatTick(y), 3, py - 2);
    context.fillRect(0, py, 3, 1);
  }
  context.fillText("x₁ →", canvas.width - 32, canvas.height - 16);
  context.fillText("x₂ ↑", 4, 14);
}

function formatTick(value) { return Math.abs(value) < 1e-9 ? "0" : String(Number(value.toPrecision(3))); }

function drawUnits() {
  const size = setup.unit_size;
  const output = $("output-0");
  if (output) {
    const predicted = decode(frame.predicted);
    const confidence = decode(frame.confidence);
    paint(output, setup.boundary_size, (i) => boundaryColor(predicted[i], confidence[i], setup.classes.length));
  }
  drawConnections();
  (frame.units || []).forEach((layer, index) => {
    layer.forEach((base64, unit) => {
      const canvas = $(`unit-${index}-${unit}`);
      if (!canvas) return;
      const values = decode(base64);
      paint(canvas, size, (i) => unitColor(values[i]));
    });
  });
}

function accuracyName() {
  const names = Object.keys(frame.curves || {});
  return names.find((name) => !name.startsWith("val_") && name.includes("acc")) || "accuracy";
}

function showMetrics() {
  const latest = frame.latest || {};
  const format = (value) => (value === undefined || value === null ? "–" : value.toFixed(3));
  const accuracy = accuracyName();
  $("train-loss").textContent = format(latest.loss);
  $("test-loss").textContent = format(latest.val_loss);
  $("train-accuracy").textContent = format(latest[accuracy]);
  $("test-accuracy").textContent = format(latest[`val_${accuracy}`]);
}

// One chart: training (solid, blue) and test (dashed, grey) per epoch.
function drawCurve(canvas, name, isAccuracy) {
  const context = canvas.getContext("2d");
  const width = canvas.width;
  const height = canvas.height;
  const left = 38;
  const bottom = height - 18;
  const top = 22;
  context.clearRect(0, 0, width, height);
  context.font = "11px system-ui, sans-serif";
  context.fillStyle = "#6b7780";
  context.fillText(isAccuracy ? "accuracy" : "loss", 4, 11);
  const epochs = frame.curve_epochs || [];
  const series = [[name, "#0877bd", []], [`val_${name}`, "#6b7780", [5, 4]]]
    .filter(([key]) => frame.curves && frame.curves[key]);
  const values = series.flatMap(([key]) => frame.curves[key].filter((v) => v !== null));
  let low = 0;
  let high = isAccuracy || !values.length ? 1 : niceCeiling(Math.max(...values));
  if (!isFinite(high) || high <= 0) high = 1;
  context.strokeStyle = "#e2e6ea";
  context.lineWidth = 1;
  for (const fraction of [0, 0.5, 1]) {
    const y = bottom - fraction * (bottom - top);
    context.beginPath();
    context.moveTo(left, y);
    context.lineTo(width - 4, y);
    context.stroke();
    context.fillText(String(Number((low + fraction * (high - low)).toPrecision(2))), 4, y + 4);
  }
  const lastEpoch = Math.max(setup.settings.epochs, epochs.length ? epochs[epochs.length - 1] : 1);
  context.fillText("epoch", width - 36, height - 4);
  context.fillText(String(lastEpoch), width - 70, height - 4);
  const toX = (epoch) => left + (epoch - 1) / Math.max(1, lastEpoch - 1) * (width - 4 - left);
  const toY = (value) => bottom - (Math.min(value, high) - low) / (high - low) * (bottom - top);
  for (const [key, color, dash] of series) {
    context.strokeStyle = color;
    context.lineWidth = 1.8;
    context.setLineDash(dash);
    context.beginPath();
    frame.curves[key].forEach((value, i) => {
      if (value === null) return;
      const [x, y] = [toX(epochs[i]), toY(value)];
      if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
    });
    context.stroke();
    context.setLineDash([]);
  }
  if (series.length) {
    context.fillStyle = "#0877bd";
    context.fillText("training", width - 130, 11);
    if (series.length > 1) { context.fillStyle = "#6b7780"; context.fillText("- - test", width - 70, 11); }
  }
}

// The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value.
function niceCeiling(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= value);
}

// ---------------------------------------------------------- dataset icons (just pictures)
function drawDatasetIcon(canvas, name) {
  const context = canvas.getContext("2d");
  context.fillStyle = "#f7f9fa";
  context.fillRect(0, 0, 48, 48);
  let seed = 7;
  const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const points = [];
  for (let i = 0; i < 60; i++) {
    const label = i % 2;
    const t = random();
    const u = random();
    let x;
    let y;
    if (name === "blobs") { x = (label ? 0.6 : -0.6) + (t - 0.5) * 0.9; y = (label ? 0.6 : -0.6) + (u - 0.5) * 0.9; }
    else if (name === "moons") {
      const a = Math.PI * t;
      [x, y] = label ? [1 - Math.cos(a) - 0.5, 0.5 - Math.sin(a) - 0.25] : [Math.cos(a) - 0.5, Math.sin(a) - 0.25];
    } else if (name === "circles") {
      const r = label ? 0.7 + 0.3 * t : 0.5 * t;
      [x, y] = [r * Math.cos(2 * Math.PI * u), r * Math.sin(2 * Math.PI * u)];
    } else if (name === "xor") { x = 2 * t - 1; y = 2 * u - 1; points.push([x, y, x * y > 0 ? 1 : 0]); continue; }
    else if (name === "spiral") {
      const a = 1.75 * 2 * Math.PI * t + Math.PI * label;
      [x, y] = [t * Math.sin(a), t * Math.cos(a)];
    } else { x = 2 * t - 1; y = 2 * u - 1; }
    points.push([x, y, label]);
  }
  for (const [x, y, label] of points) {
    context.fillStyle = CLASS_COLORS[name === "uploaded" ? 7 : label];
    context.beginPath();
    context.arc(24 + x * 17, 24 - y * 17, 1.8, 0, 2 * Math.PI);
    context.fill();
  }
}

// ------------------------------------------------------------------------ wiring
function wire() {
  $("train").addEventListener("click", () => post("/api/control", {action: "train"}));
  $("pause").addEventListener("click", () => post("/api/control", {action: "pause"}));
  $("step").addEventListener("click", () => post("/api/control", {action: "step"}));
  $("reset").addEventListener("click", () => post("/api/control", {action: "reset"}));
  $("preset").addEventListener("change", (event) => {
    if (event.target.value) post("/api/preset", {name: event.target.value});
    event.target.value = "";
  });
  for (const name of ["points", "noise", "test_fraction"]) {
    $(name).addEventListener("input", () => showSliderValue(name));
    $(name).addEventListener("change", () => changeSettings({[name]: Number($(name).value)}));
  }
  const numberSetting = (id, name) => $(id).addEventListener("change", () => changeSettings({[name]: Number($(id).value)}));
  numberSetting("seed", "seed");
  numberSetting("batch_size", "batch_size");
  numberSetting("epochs-input", "epochs");
  numberSetting("learning_rate", "learning_rate");
  numberSetting("l2", "l2");
  numberSetting("dropout", "dropout");
  $("new-seed").addEventListener("click", () => changeSettings({seed: setup.settings.seed + 1}));
  for (const id of ["activation", "optimizer", "speed"]) {
    $(id).addEventListener("change", () => changeSettings({[id]: $(id).value}));
  }
  $("add-layer").addEventListener("click", () => {
    const hidden = setup.settings.hidden.slice();
    hidden.push(hidden.length ? hidden[hidden.length - 1] : 4);
    changeSettings({hidden});
  });
  $("remove-layer").addEventListener("click", () => changeSettings({hidden: setup.settings.hidden.slice(0, -1)}));
  $("show-test").addEventListener("change", drawBoundary);
  $("upload").addEventListener("change", upload);
  for (const tab of document.querySelectorAll("#library-tabs .tab")) {
    tab.addEventListener("click", () => { library = tab.dataset.library; showCode(); });
  }
  $("copy-code").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText($("code").textContent);
      $("copy-code").textContent = "Copied";
    } catch (error) {
      showMessage("The browser did not allow copying: select the code and copy it by hand.");
    }
    setTimeout(() => { $("copy-code").textContent = "Copy"; }, 1500);
  });
}

async function upload(event) {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  const response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
    method: "POST", headers: {"Content-Type": "text/csv"}, body: file,
  }).catch(() => null);
  if (!response) { showMessage("The upload failed: is the playground server still running?"); return; }
  const reply = await response.json().catch(() => ({error: `The server answered ${response.status}.`}));
  showMessage(response.ok ? null : reply.error);
}

wire();
connect();
