// Interactive SVG charts of the training log, drawn from the JSON series the page carries.
// No library: bars and lines with points whose values are read out below the charts. Each chart
// is one tab stop (the arrow keys move along its points), is drawn at the width it is shown at
// (so its text stays 12 px on a phone), and has its axis at round values.
"use strict";

(() => {
  const dataEl = document.getElementById("chart-data");
  if (!dataEl) return;
  const series = JSON.parse(dataEl.textContent);
  const tip = document.getElementById("chart-tip");
  const NS = "http://www.w3.org/2000/svg";
  const H = 260, M = { l: 56, r: 12, t: 12, b: 34 };
  let W = 720;
  const COLORS = ["#0b5cad", "#8a3b00", "#1e6b2c", "#6a1b9a", "#a4001d", "#00695c"];

  const el = (name, attrs, parent) => {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  };
  const svgFor = (box, label) => {
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": label });
    box.appendChild(svg);
    return svg;
  };
  const say = (text) => { tip.textContent = text; };
  const interactive = (node, text) => {
    node.setAttribute("tabindex", "-1");
    node.classList.add("point");
    el("title", {}, node).textContent = text;
    node.addEventListener("mouseenter", () => say(text));
    node.addEventListener("focus", () => say(text));
  };
  // One tab stop per chart (roving tabindex): the first point; arrows, Home and End move it.
  const roving = (svg) => {
    const points = [...svg.querySelectorAll(".point")];
    if (!points.length) return;
    points[0].setAttribute("tabindex", "0");
    svg.addEventListener("keydown", (event) => {
      const at = points.indexOf(event.target);
      if (at < 0) return;
      const moves = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
        Home: 0, End: points.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = points[Math.max(0, Math.min(points.length - 1, moves[event.key]))];
      event.target.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    });
  };
  // A round step (1, 2, 2.5 or 5 times a power of ten) giving four intervals up to `max`.
  const niceStep = (max) => {
    const raw = Math.max(max, 1e-9) / 4, power = 10 ** Math.floor(Math.log10(raw));
    return [1, 2, 2.5, 5, 10].map((n) => n * power).find((step) => step >= raw * (1 - 1e-9));
  };
  const label = (v) => {
    const round = (x) => `${Math.round(x * 1000) / 1000}`;
    return v >= 1000 ? `${round(v / 1000)}k` : round(v);
  };
  const day = (iso) => Date.parse(`${iso}T00:00:00Z`) / 86400000;
  const axes = (svg, yMax, yLabel, xTicks) => {
    const g = el("g", { class: "axes", "font-size": "12", fill: "#4a525a" }, svg);
    for (let i = 0; i <= 4; i += 1) {
      const v = (yMax * i) / 4, y = M.t + (H - M.t - M.b) * (1 - i / 4);
      el("line", { x1: M.l, x2: W - M.r, y1: y, y2: y, stroke: "#e1e5e9" }, g);
      el("text", { x: M.l - 6, y: y + 4, "text-anchor": "end", class: "y-tick" }, g).textContent =
        label(v);
    }
    el("text", { x: 4, y: M.t + 2, "dominant-baseline": "hanging" }, g).textContent = yLabel;
    for (const [x, text] of xTicks) {
      el("text", { x, y: H - 10, "text-anchor": "middle" }, g).textContent = text;
    }
  };
  const ticks = (dates, xOf) => {
    const step = Math.max(1, Math.ceil(dates.length / Math.max(2, Math.floor(W / 120))));
    return dates.filter((_, i) => i % step === 0).map((d) => [xOf(d), d]);
  };

  const drawSpinal = (box) => {
    const s = series.spinal_load;
    if (!s.weeks.length) return;
    const svg = svgFor(box, "Weekly spinal load with symptom markers");
    const yMax = niceStep(Math.max(1, ...s.load)) * 4;
    const bw = (W - M.l - M.r) / s.weeks.length;
    const xOf = (iso) => M.l + ((day(iso) - day(s.weeks[0])) / 7) * bw;
    axes(svg, yMax, "load", ticks(s.weeks, (d) => xOf(d) + bw / 2));
    s.weeks.forEach((week, i) => {
      const h = ((H - M.t - M.b) * s.load[i]) / yMax;
      const bar = el("rect", { x: xOf(week) + 1, y: H - M.b - h, width: Math.max(1, bw - 2),
        height: h, fill: "#5b8fc7" }, svg);
      interactive(bar, `Week of ${week}: spinal load ${Math.round(s.load[i])}`);
    });
    for (const d of s.symptom_dates) {
      const x = xOf(d), y = M.t + 8;
      const mark = el("path", { d: `M${x - 7},${y - 6} L${x + 7},${y - 6} L${x},${y + 6} Z`,
        fill: "#a4001d" }, svg);
      interactive(mark, `Symptom logged on ${d}`);
    }
  };

  const lineChart = (box, label, dates, lines, yLabel, band) => {
    const valid = lines.flatMap((l) => l.values.filter((v) => v !== null));
    if (!dates.length || !valid.length) return;
    const svg = svgFor(box, label);
    const yMax = niceStep(Math.max(...valid, band ? band[1] : 0)) * 4;
    const d0 = day(dates[0]), span = Math.max(1, day(dates[dates.length - 1]) - d0);
    const xOf = (iso) => M.l + ((day(iso) - d0) / span) * (W - M.l - M.r);
    const yOf = (v) => M.t + (H - M.t - M.b) * (1 - v / yMax);
    if (band) {
      el("rect", { x: M.l, width: W - M.l - M.r, y: yOf(band[1]), height: yOf(band[0]) - yOf(band[1]),
        fill: "#e4f4e6" }, svg);
    }
    axes(svg, yMax, yLabel, ticks(dates, xOf));
    lines.forEach((line, n) => {
      const color = COLORS[n % COLORS.length];
      let path = "";
      line.values.forEach((v, i) => {
        if (v === null) return;
        path += `${path && line.values[i - 1] !== null ? "L" : "M"}${xOf(line.dates[i])},${yOf(v)}`;
      });
      el("path", { d: path, fill: "none", stroke: color, "stroke-width": 2 }, svg);
      const step = Math.max(1, Math.ceil(line.values.length / 40));
      line.values.forEach((v, i) => {
        if (v === null || (i % step && i !== line.values.length - 1)) return;
        const dot = el("circle", { cx: xOf(line.dates[i]), cy: yOf(v), r: 4, fill: color }, svg);
        interactive(dot, `${line.name}, ${line.dates[i]}: ${Math.round(v * 100) / 100}`);
      });
      el("text", { x: W - M.r - 4, y: M.t + 14 + 16 * n, "text-anchor": "end", fill: color,
        "font-size": "13", "font-weight": "600" }, svg).textContent = line.name;
    });
  };

  const draw = {
    spinal_load: drawSpinal,
    ratio: (box) => {
      const r = series.ratio;
      lineChart(box, "Acute to chronic load ratio", r.dates, [
        { name: "EWMA", dates: r.dates, values: r.ewma },
        { name: "uncoupled", dates: r.dates, values: r.uncoupled },
      ], "ratio", r.band);
    },
    e1rm: (box) => {
      const lifts = series.e1rm.slice(0, 6);
      const all = [...new Set(lifts.flatMap((l) => l.dates))].sort();
      lineChart(box, "Estimated one-rep max per lift", all,
        lifts.map((l) => ({ name: l.name, dates: l.dates, values: l.kg })), "kg", null);
    },
  };
  document.querySelectorAll("[data-chart]").forEach((box) => {
    W = Math.round(Math.max(300, Math.min(720, box.clientWidth || 720)));
    draw[box.dataset.chart](box);
    box.querySelectorAll("svg").forEach(roving);
  });
})();
