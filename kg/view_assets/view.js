// The view: the network, its labels, legend and filters, search, the details panel and the address.
// Every text from the graph reaches the page through textContent, an attribute, canvas text or vis-network's
// text tooltips: nothing from the graph is ever parsed as HTML.
var kg = (function () {
  "use strict";
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  // A large graph opens on its groups (provinces and what is tied to them, then the rest by class): a group is
  // one node until a click (or a search, a link, a focus) expands it into its entities; edges between groups
  // are drawn as one edge each way, as wide as they are many.
  var grouped = Boolean(data.groups && data.groups.length);
  var groupById = {}, groupOf = {}, membersOf = {}, expanded = {}, hiddenTypes = {}, hiddenRelations = {};
  (data.groups || []).forEach(function (g) { groupById[g.id] = g; membersOf[g.id] = []; });
  data.nodes.forEach(function (n) { if (n.group) { groupOf[n.id] = n.group; membersOf[n.group].push(n.id); } });
  function rep(id) { return grouped && !expanded[groupOf[id]] ? groupOf[id] : id; }
  function visible() {
    var ns = [], es = [], joined = {};
    (data.groups || []).forEach(function (g) {
      if (!expanded[g.id]) {
        ns.push({ id: g.id, shape: g.shape, color: g.color, size: g.size, x: g.x, y: g.y, title: g.title,
                  kggroup: true });
      }
    });
    data.nodes.forEach(function (n) {
      if (!grouped || expanded[n.group]) { ns.push(Object.assign({}, n, { hidden: Boolean(hiddenTypes[n.kgtype]) })); }
    });
    data.edges.forEach(function (e) {
      var a = rep(e.from), b = rep(e.to);
      if (a === e.from && b === e.to) {
        es.push(Object.assign({}, e, { hidden: Boolean(hiddenRelations[e.relation]) }));
      } else if (a !== b) {
        var key = a + " " + b;
        if (!joined[key]) {
          joined[key] = { id: "join:" + key, from: a, to: b, count: 0, join: true, predicate: "",
                          color: { color: "#8e9bb0", opacity: 0.45 }, arrows: { to: { enabled: false } } };
          es.push(joined[key]);
        }
        joined[key].count += 1;
      }
    });
    (data.joins || []).forEach(function (j) {  // a page of groups alone: the links between them, counted in Python
      var key = j.from + " " + j.to;
      joined[key] = { id: "join:" + key, from: j.from, to: j.to, count: j.count, join: true, predicate: "",
                      color: { color: "#8e9bb0", opacity: 0.45 }, arrows: { to: { enabled: false } } };
      es.push(joined[key]);
    });
    es.forEach(function (e) {
      if (e.join) {
        e.value = e.count;
        e.relation = e.count + " quan hệ";
        e.title = name(e.from) + " — " + name(e.to) + ": " + e.count + " quan hệ (bấm để mở hai nhóm)";
      }
    });
    return { nodes: ns, edges: es };
  }
  function name(id) {
    if (groupById[id]) { return groupById[id].name + " (" + groupById[id].count + ")"; }
    return data.details[id] ? data.details[id].label : String(id);
  }
  var first = visible();
  var nodes = new vis.DataSet(first.nodes);
  var edges = new vis.DataSet(first.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var info = data.details;
  var panel = document.getElementById("kg-panel");
  var progress = document.getElementById("kg-progress");
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var found = document.getElementById("kg-found");
  var view = {
    network: network, nodes: nodes, edges: edges, ready: false, show: show, choose: choose, search: search,
    showEdge: showEdge, clear: clear, labels: { nodes: [], edges: [] }, selected: null, expand: expand,
    collapse: collapse, grouped: grouped, membersOf: membersOf
  };

  function refresh() {
    var now = visible();
    neighbours = null;
    nodes.clear();
    edges.clear();
    nodes.add(now.nodes);
    edges.add(now.edges);
  }
  function expand(gid, fit) {
    if (!groupById[gid] || expanded[gid]) { return; }
    expanded[gid] = true;
    refresh();
    if (fit) { network.fit({ nodes: membersOf[gid], animation: false }); }
  }
  function collapse() {
    if (!grouped) { return; }
    expanded = {};
    clear();
    refresh();
    network.fit({ animation: false });
  }

  function add(parent, tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (className) { el.className = className; }
    parent.appendChild(el);
    return el;
  }

  // Layout: positions come from Python; a small graph then runs a bounded number of physics iterations, a
  // large one none. Either way physics ends off, so the page stops moving and stays responsive.
  function settled() {
    if (view.ready) { return; }
    network.setOptions({ physics: false });
    network.fit({ animation: false });
    progress.textContent = "";
    view.ready = true;
    view.readyAt = performance.now();
    root.dataset.kgReady = "1";
    var wanted = new URLSearchParams(location.hash.slice(1));
    if (wanted.get("select") && (info[wanted.get("select")] || groupSearch[wanted.get("select")])) {
      choose(wanted.get("select"), true);
    }
    else if (data.focus && info[data.focus]) { choose(data.focus, true); }
    if (wanted.get("q")) { input.value = wanted.get("q"); search(wanted.get("q")); }
  }
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "Đang bố trí… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  if (data.options.physics.enabled && data.nodes.length) { network.once("stabilizationIterationsDone", settled); }
  else { setTimeout(settled, 0); }

  // Labels, drawn by the page rather than by vis-network: a constant size on screen (11 to 18 px, larger for
  // better connected nodes), the most connected first, and none where it would cover another label. Zooming in
  // makes room, so more appear; the selected node and its neighbours come first.
  var degree = {};
  data.nodes.forEach(function (n) { degree[n.id] = n.value || 1; });
  (data.groups || []).forEach(function (g) { degree[g.id] = 4 * g.count; });
  var byImportance = data.nodes.map(function (n) { return n.id; }).concat(Object.keys(groupById))
    .sort(function (a, b) { return degree[b] - degree[a] || (a < b ? -1 : 1); });
  var neighbours = null;
  var widths = {};
  var MAX_LABELS = 600;
  function measure(ctx, text, font) {
    var key = font + "|" + text;
    if (!(key in widths)) { ctx.font = font; widths[key] = ctx.measureText(text).width; }
    return widths[key];
  }
  function short(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }
  network.on("afterDrawing", function (ctx) {
    var ratio = window.devicePixelRatio || 1;
    var scale = network.getScale();
    var width = container.clientWidth, height = container.clientHeight;
    var grid = {}, CELL = 80, placed = { nodes: [], edges: [] };
    function free(box) {
      for (var gx = Math.floor(box.x / CELL); gx <= Math.floor((box.x + box.w) / CELL); gx++) {
        for (var gy = Math.floor(box.y / CELL); gy <= Math.floor((box.y + box.h) / CELL); gy++) {
          var cell = grid[gx + "," + gy];
          if (cell && cell.some(function (b) {
            return b.x < box.x + box.w && box.x < b.x + b.w && b.y < box.y + box.h && box.y < b.y + b.h;
          })) { return false; }
        }
      }
      return true;
    }
    function take(box) {
      for (var gx = Math.floor(box.x / CELL); gx <= Math.floor((box.x + box.w) / CELL); gx++) {
        for (var gy = Math.floor(box.y / CELL); gy <= Math.floor((box.y + box.h) / CELL); gy++) {
          (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push(box);
        }
      }
    }
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var order = view.selected && neighbours ? [view.selected].concat(Object.keys(neighbours), byImportance)
      : byImportance;
    var done = {};
    for (var i = 0; i < order.length && placed.nodes.length < MAX_LABELS; i++) {
      var id = order[i];
      if (done[id]) { continue; }
      done[id] = true;
      var body = network.body.nodes[id];
      if (!body || body.options.hidden) { continue; }
      if (neighbours && !neighbours[id] && id !== view.selected) { continue; }
      var p = network.canvasToDOM({ x: body.x, y: body.y });
      if (p.x < -100 || p.y < -40 || p.x > width + 100 || p.y > height + 40) { continue; }
      var isGroup = Boolean(groupById[id]);  // a group's label may lie on its own disc, or on another's
      var px = id === view.selected ? 16 : isGroup ? 13 : Math.round(Math.min(18, 11 + 1.6 * Math.log2(degree[id])));
      var font = (id === view.selected ? "bold " : "") + px + "px system-ui, sans-serif";
      var text = short(name(id), 32);
      var w = measure(ctx, text, font);
      var r = (body.options.size || 10) * scale;
      var disc = { x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r, disc: true };
      // below the node, else above it (a group: first on its disc); never over another label or a more
      // important node (the selected node's label is always drawn)
      var box = null;
      for (var k = isGroup ? -1 : 0; k < 2 && !box; k++) {
        var y = k < 0 ? p.y - (px + 3) / 2 : k === 0 ? p.y + r + 2 : p.y - r - px - 5;
        var candidate = { x: p.x - w / 2 - 2, y: y, w: w + 4, h: px + 3, px: px, id: id };
        if (id === view.selected || (candidate.x >= 0 && candidate.x + candidate.w <= width && candidate.y >= 0 &&
            candidate.y + candidate.h <= height && free(candidate))) { box = candidate; }
      }
      if (nodes.length <= 3000 && !isGroup) { take(disc); }
      if (!box) { continue; }
      take(box);
      placed.nodes.push(box);
      ctx.font = font;
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, p.x, box.y + 1);
      ctx.fillStyle = "#222";
      ctx.fillText(text, p.x, box.y + 1);
    }
    // Edge labels where the edge is long enough on screen and the label covers no other label.
    var edgeFont = "11px system-ui, sans-serif";
    var edgeIds = network.body.edgeIndices;
    var firstEdges = view.selected && network.body.nodes[view.selected] ? network.getConnectedEdges(view.selected)
      : [];
    var edgeOrder = edgeIds.length <= 3000 || firstEdges.length ? firstEdges.concat(edgeIds.length <= 3000 ? edgeIds : [])
      : [];
    var seenEdge = {};
    for (var j = 0; j < edgeOrder.length && placed.edges.length < MAX_LABELS; j++) {
      var eid = edgeOrder[j];
      if (seenEdge[eid]) { continue; }
      seenEdge[eid] = true;
      var edge = network.body.edges[eid];
      if (!edge || !edge.from || !edge.to || edge.options.hidden || edge.from.options.hidden || edge.to.options.hidden) {
        continue;
      }
      if (neighbours && !(neighbours[edge.fromId] && neighbours[edge.toId] &&
          (edge.fromId === view.selected || edge.toId === view.selected))) { continue; }
      var a = network.canvasToDOM({ x: edge.from.x, y: edge.from.y });
      var b = network.canvasToDOM({ x: edge.to.x, y: edge.to.y });
      var mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
      if (mx < 0 || my < 0 || mx > width || my > height) { continue; }
      if (edges.get(eid).join) { continue; }  // between groups: its width says how many
      var label = short(edges.get(eid).relation || "", 28);
      var ew = measure(ctx, label, edgeFont);
      if (Math.hypot(b.x - a.x, b.y - a.y) < ew + 40) { continue; }
      var ebox = { x: mx - ew / 2 - 2, y: my - 7, w: ew + 4, h: 14, px: 11, id: eid };
      if (!free(ebox)) { continue; }
      take(ebox);
      placed.edges.push(ebox);
      ctx.font = edgeFont;
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.95)";
      ctx.strokeText(label, mx, ebox.y + 1);
      ctx.fillStyle = "#666";
      ctx.fillText(label, mx, ebox.y + 1);
    }
    ctx.restore();
    view.labels = placed;
  });

  // Legend: one entry per type (its shape, colour, label and count); unticking one hides that type.
  var SHAPES = {
    dot: "<circle cx='8' cy='8' r='6'/>", square: "<rect x='2' y='2' width='12' height='12'/>",
    diamond: "<polygon points='8,1 15,8 8,15 1,8'/>", triangle: "<polygon points='8,1 15,14 1,14'/>",
    star: "<polygon points='8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6'/>",
    hexagon: "<polygon points='4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8'/>"
  };
  function checkbox(parent, value, text) {
    var label = add(parent, "label");
    var box = add(label, "input");
    box.type = "checkbox";
    box.checked = true;
    box.value = value;
    return { label: label, box: box, text: text };
  }
  data.legend.forEach(function (entry) {
    var item = checkbox(document.getElementById("kg-legend"), entry.type);
    var svg = new DOMParser().parseFromString(
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>" + (SHAPES[entry.shape] || SHAPES.dot) + "</svg>",
      "image/svg+xml").documentElement;
    svg.setAttribute("fill", entry.colour);
    item.label.appendChild(document.importNode(svg, true));
    add(item.label, "span", entry.label + " (" + entry.count + ")");
    item.box.addEventListener("change", function () {
      hiddenTypes[entry.type] = !item.box.checked;
      nodes.update(nodes.get({ filter: function (n) { return n.kgtype === entry.type; } })
        .map(function (n) { return { id: n.id, hidden: !item.box.checked }; }));
    });
  });
  // Relation filter: one entry per relation label; unticking one hides those edges.
  data.relations.forEach(function (entry) {
    var item = checkbox(document.getElementById("kg-relations"), entry.label);
    add(item.label, "span", "→ " + entry.label + " (" + entry.count + ")");
    item.box.addEventListener("change", function () {
      entry.labels.forEach(function (label) { hiddenRelations[label] = !item.box.checked; });
      edges.update(edges.get({ filter: function (e) { return entry.labels.indexOf(e.relation) >= 0; } })
        .map(function (e) { return { id: e.id, hidden: !item.box.checked }; }));
    });
  });
  if (window.matchMedia && window.matchMedia("(max-width: 820px)").matches) {
    document.getElementById("kg-filters").open = false;
  }

  // Zoom and fit.
  function zoom(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: { duration: 150, easingFunction: "linear" } });
  }
  document.getElementById("kg-zoom-in").addEventListener("click", function () { zoom(1.4); });
  document.getElementById("kg-zoom-out").addEventListener("click", function () { zoom(1 / 1.4); });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: false }); });
  var collapser = document.getElementById("kg-collapse");
  collapser.hidden = !grouped;
  collapser.addEventListener("click", collapse);

  // Export: the view as a PNG (what the canvas shows, labels included) and the shown entities and relations as CSV.
  function csvCell(text) { return /[",\n]/.test(text) ? '"' + String(text).replace(/"/g, '""') + '"' : String(text); }
  function csv() {
    var shown = {};
    var rows = [["kind", "id", "name", "class", "from", "relation", "to", "sentences"]];
    nodes.get({ filter: function (n) { return !n.hidden && !n.kggroup; } }).forEach(function (n) {
      shown[n.id] = true;
      rows.push(["entity", n.id, info[n.id].label, info[n.id].cls, "", "", "", ""]);
    });
    edges.get({ filter: function (e) { return !e.hidden && !e.join && shown[e.from] && shown[e.to]; } })
      .forEach(function (e) {
      rows.push(["relation", "", "", e.predicate, e.from, e.relation, e.to, String(e.count)]);
    });
    return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function png() { return container.querySelector("canvas").toDataURL("image/png"); }
  function download(name, url) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.getElementById("kg-png").addEventListener("click", function () { download("kg-view.png", png()); });
  document.getElementById("kg-csv").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob(["\ufeff" + csv()], { type: "text/csv;charset=utf-8" }));
    download("kg-view.csv", url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });
  view.csv = csv;
  view.png = png;

  // Search: any of a node's names, without case or diacritics; a list of results (exact names first), ↑/↓ move
  // in it, Enter chooses; the highlighted result is selected as you go.
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  var hits = [], active = -1, MAX_RESULTS = 50;
  // a page of groups alone: a group is found by its name or by the names of its main entities
  var groupSearch = {};
  if (data.joins) {
    (data.groups || []).forEach(function (g) {
      groupSearch[g.id] = [fold(g.name)].concat((g.best || []).map(function (b) { return fold(b.name); }));
    });
  }
  function highlight(index) {
    active = index;
    [].forEach.call(results.children, function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
    if (index >= 0 && hits[index]) {
      results.children[index].scrollIntoView({ block: "nearest" });
      input.setAttribute("aria-activedescendant", results.children[index].id);
      preview(hits[index]);
    }
  }
  function closeResults() {
    results.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }
  function search(query) {
    var q = fold(query || "");
    results.replaceChildren();
    hits = [];
    active = -1;
    if (!q) { found.textContent = ""; closeResults(); return []; }
    var exact = [], starts = [], partial = [];
    Object.keys(info).concat(Object.keys(groupSearch)).forEach(function (id) {
      var keys = info[id] ? info[id].search : groupSearch[id];
      if (keys.indexOf(q) >= 0) { exact.push(id); }
      else if (keys.some(function (k) { return k.indexOf(q) === 0; })) { starts.push(id); }
      else if (keys.some(function (k) { return k.indexOf(q) >= 0; })) { partial.push(id); }
    });
    hits = exact.concat(starts, partial).filter(function (id) { return !info[id] || !hiddenTypes[info[id].type]; });
    found.textContent = hits.length ? hits.length + " kết quả" : "không tìm thấy";
    hits.slice(0, MAX_RESULTS).forEach(function (id, i) {
      var li = add(results, "li");
      li.id = "kg-result-" + i;
      li.setAttribute("role", "option");
      add(li, "span", info[id] ? info[id].label : groupById[id].name);
      add(li, "span", info[id] ? info[id].clsLabel : "nhóm", "kg-cls");
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(id); closeResults(); });
    });
    results.hidden = !hits.length;
    input.setAttribute("aria-expanded", String(!results.hidden));
    if (hits.length) { highlight(0); } else { network.unselectAll(); }
    return hits;
  }
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (event) {
    var shown = results.children.length;
    if (event.key === "ArrowDown" && shown) { highlight((active + 1) % shown); event.preventDefault(); }
    else if (event.key === "ArrowUp" && shown) { highlight((active - 1 + shown) % shown); event.preventDefault(); }
    else if (event.key === "Enter") {
      if (active >= 0 && hits[active]) { choose(hits[active]); }
      closeResults();
      event.preventDefault();
    } else if (event.key === "Escape") { closeResults(); }
  });
  input.addEventListener("blur", function () { setTimeout(closeResults, 150); });
  input.addEventListener("focus", function () { if (results.children.length) { results.hidden = false; } });

  // Selection: the node, its neighbours highlighted (the rest faded), the panel, and the address.
  function fade(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { near[n] = true; });
    neighbours = near;
    nodes.update(nodes.getIds().map(function (n) { return { id: n, opacity: near[n] ? 1 : 0.18 }; }));
  }
  function unfade() {
    if (!neighbours) { return; }
    neighbours = null;
    nodes.update(nodes.getIds().map(function (n) { return { id: n, opacity: 1 }; }));
  }
  function address(hash) {
    try { history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search); }
    catch (e) { /* a page opened from a sandbox may not change its address */ }
  }
  function preview(id, stay) {
    if (groupSearch[id]) { showGroup(id); return; }
    if (grouped && !expanded[groupOf[id]]) { return; }  // highlighted in the result list, inside a closed group
    network.selectNodes([id]);
    show(id);
    if (!stay) {  // centred, zoomed to show its neighbours (no further in than 1.1, no further out than 0.25),
      // in the part of the graph a bottom sheet leaves visible
      network.fit({ nodes: [id].concat(network.getConnectedNodes(id)), animation: false });
      var scale = Math.min(1.1, Math.max(0.25, network.getScale()));
      var sheet = getComputedStyle(panel).position === "absolute" ? panel.getBoundingClientRect().height : 0;
      network.moveTo({ position: network.getPosition(id), scale: scale, offset: { x: 0, y: -sheet / 2 },
                       animation: false });
    }
  }
  function choose(id, keepAddress, stay) {
    if (groupSearch[id]) {
      showGroup(id);
      network.focus(id, { animation: false });
      if (!keepAddress || !location.hash) { address("select=" + encodeURIComponent(id)); }
      return;
    }
    if (!info[id]) { return; }
    if (grouped && !expanded[groupOf[id]]) { expand(groupOf[id]); stay = false; }
    view.selected = id;
    fade(id);
    preview(id, stay);
    if (!keepAddress || !location.hash) { address("select=" + encodeURIComponent(id)); }
  }
  function clear() {
    view.selected = null;
    unfade();
    network.unselectAll();
    panel.replaceChildren();
    add(panel, "div", "Bấm vào một nút hoặc một cạnh để xem chi tiết.", "kg-hint");
    panel.className = "kg-empty";
    delete root.dataset.kgSelected;
    address("");
  }

  // The details panel.
  function begin() {
    panel.replaceChildren();
    panel.className = "";
    var close = add(panel, "button", "×");
    close.id = "kg-close";
    close.type = "button";
    close.setAttribute("aria-label", "Đóng");
    close.addEventListener("click", clear);
  }
  function section(title, open) {
    var box = add(panel, "details");
    box.open = open !== false;
    add(box, "summary", title);
    return box;
  }
  function list(title, items, render) {
    if (!items || !items.length) { return; }
    var ul = add(section(title + " (" + items.length + ")"), "ul");
    items.forEach(function (item) { var li = add(ul, "li"); if (render) { render(li, item); } else { li.textContent = item; } });
  }
  function source(parent, doc) {
    var d = data.documents[doc];
    if (d && /^https?:\/\//i.test(d.url)) {
      var a = add(parent, "a", doc, "kg-doc");
      a.href = d.url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    } else if (doc) {
      add(parent, "span", doc, "kg-doc");
    }
  }
  function quote(parent, s) {
    var q = add(parent, "div", "“" + s.text + "” ", "kg-quote");
    source(q, s.doc);
    return q;
  }
  function link(parent, id) {
    var b = add(parent, "button", info[id] ? info[id].label : id, "kg-link");
    b.type = "button";
    b.addEventListener("click", function () { choose(id); });
  }
  function counted(shown, total) {
    return total > shown ? shown + " trên " + total + " câu" : total + " câu";
  }
  function show(id) {
    var d = info[id];
    if (!d) { return; }
    begin();
    add(panel, "h2", d.label);
    add(panel, "div", d.clsLabel + " (" + d.cls + ")" + (d.cls.indexOf(d.type) < 0 ? " · " + d.typeLabel : ""),
        "kg-class");
    list("Tên khác", d.names);
    list("Định danh", d.ids);
    list("Thông tin", d.facts);
    list("Tài liệu nhắc đến", d.documents, function (li, doc) {
      source(li, doc.id);
      if (doc.title) { add(li, "span", " — " + doc.title); }
    });
    if (d.relations.length) {
      var rel = section("Quan hệ (" + d.relations.length + ")");
      var bySentence = {}, sentences = [];
      d.relations.forEach(function (r) {
        var line = add(rel, "div", null, "kg-relation");
        link(line, r.from);
        add(line, "span", " → " + r.label + " → ");
        link(line, r.to);
        if (r.count) { add(line, "span", " · " + counted(r.sentences.length, r.count), "kg-count"); }
        r.sentences.forEach(function (s) {
          var key = s.doc + "\u0000" + s.text;
          if (!bySentence[key]) { bySentence[key] = { s: s, relations: [] }; sentences.push(key); }
          bySentence[key].relations.push(r);
        });
      });
      if (sentences.length) {
        var ev = section("Câu nguồn của các quan hệ (" + sentences.length + ")");
        sentences.forEach(function (key) {
          quote(ev, bySentence[key].s);
          add(ev, "div", "cho: " + bySentence[key].relations.map(function (r) {
            return (info[r.from] ? info[r.from].label : r.from) + " → " + r.label + " → " +
              (info[r.to] ? info[r.to].label : r.to);
          }).join("; "), "kg-supports");
        });
      }
    }
    if (d.observations.length) {
      var figures = section("Số liệu (" + d.observations.length + ")");
      chart(figures, d.observations);
      var table = add(figures, "table");
      var head = add(table, "tr");
      ["Chỉ tiêu", "Kỳ", "Giá trị", "Đơn vị"].forEach(function (h) { add(head, "th", h); });
      d.observations.forEach(function (o) {
        var row = add(table, "tr");
        row.title = o.sentence;
        add(row, "td", o.indicator);
        add(row, "td", o.period);
        add(row, "td", o.value, "kg-value");
        add(row, "td", o.unit);
      });
    }
    if (d.sentences.length) {
      var said = section("Câu nhắc đến (" + counted(d.sentences.length, d.sentenceCount) + ")");
      d.sentences.forEach(function (s) { quote(said, s); });
    }
    panel.scrollTop = 0;
    root.dataset.kgSelected = id;
  }
  // A small chart next to the statistics: for each indicator of ontology/indicators.ttl, its levels in one unit
  // code over periods of one kind (whole years, or the first n months, or single months), in their base unit
  // (kg:normalizedValue), one bar per period, where there are at least two; the same figure from several
  // articles is drawn once. Each bar's title is its figure as written, its period and its sentence.
  var SVG = "http://www.w3.org/2000/svg";
  function svg(parent, tag, attrs, text) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { el.textContent = text; }
    parent.appendChild(el);
    return el;
  }
  function months(o) {
    var a = o.start.split("-"), b = o.end.split("-");
    return (Number(b[0]) - Number(a[0])) * 12 + Number(b[1]) - Number(a[1]) + 1;
  }
  function periodLabel(o) {
    var n = months(o), year = o.start.slice(0, 4), first = o.start.slice(5) === "01-01";
    if (n === 12 && first) { return year; }
    if (n === 1) { return o.start.slice(5, 7) + "/" + year; }
    if (first) { return n + " tháng/" + year; }
    return o.start.slice(5, 7) + "–" + o.end.slice(5, 7) + "/" + year;
  }
  function series(observations) {
    var found = {}, order = [];
    observations.forEach(function (o) {
      if (!o.concept || o.kind !== "Level" || !o.start || !o.end || o.base === "" || isNaN(Number(o.base))) { return; }
      var key = [o.concept, o.code, months(o), o.start.slice(5)].join(" ");
      if (!found[key]) { found[key] = { concept: o.concept, code: o.code, points: {} }; order.push(key); }
      var period = o.start + "/" + o.end;
      if (!found[key].points[period]) { found[key].points[period] = o; }
    });
    return order.map(function (key) { return found[key]; })
      .filter(function (g) { return Object.keys(g.points).length >= 2; });
  }
  function chart(parent, observations) {
    series(observations).forEach(function (g) {
      var points = Object.keys(g.points).sort().slice(-8).map(function (k) { return g.points[k]; });
      var figure = add(parent, "figure", null, "kg-chart");
      add(figure, "figcaption", g.concept + " (" + g.code + ")");
      var width = 300, height = 110, top = 16, slot = (width - 10) / points.length, bar = Math.min(44, slot - 8);
      var most = Math.max.apply(null, points.map(function (p) { return Math.abs(Number(p.base)); })) || 1;
      var drawing = svg(figure, "svg", { viewBox: "0 0 " + width + " " + (height + top + 16), width: "100%",
                                         role: "img", "aria-label": g.concept });
      points.forEach(function (p, i) {
        var h = Math.max(1, (height - top) * Math.abs(Number(p.base)) / most);
        var x = 5 + i * slot + (slot - bar) / 2;
        var rect = svg(drawing, "rect", { x: x, y: height - h, width: bar, height: h, fill: "#4e79a7",
                                          "data-base": p.base, "data-period": periodLabel(p) });
        svg(rect, "title", {}, p.value + " " + p.unit + " · " + p.period + " · " + p.sentence);
        svg(drawing, "text", { x: x + bar / 2, y: height - h - 3, "text-anchor": "middle", "font-size": 10 },
            p.value + " " + p.unit);
        svg(drawing, "text", { x: x + bar / 2, y: height + 13, "text-anchor": "middle", "font-size": 10 },
            periodLabel(p));
      });
    });
  }
  // A group of a page of groups alone: its classes, then its best connected entities, each with the command
  // that draws its neighbourhood from the graph file.
  function showGroup(gid) {
    var g = groupById[gid];
    begin();
    add(panel, "h2", g.name);
    var lines = g.title.split("\n");
    add(panel, "div", lines[0].split(",")[0], "kg-class");
    list("Lớp", lines.slice(1));
    list("Thực thể chính, và lệnh vẽ vùng lân cận", g.best, function (li, b) {
      add(li, "span", b.name + " (" + b.cls + ", " + b.links + " liên kết)");
      add(li, "code", "kg view graph.nq -o view.html --focus \"" + b.focus + "\" --depth 2", "kg-command");
    });
    network.selectNodes([gid]);
    root.dataset.kgSelected = gid;
  }
  view.showGroup = showGroup;
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    begin();
    add(panel, "h2", e.relation);
    var line = add(panel, "div", null, "kg-relation");
    link(line, e.from);
    add(line, "span", " → " + e.relation + " → ");
    link(line, e.to);
    add(panel, "div", e.predicate, "kg-class");
    var ev = section("Câu nguồn (" + counted(e.sentences.length, e.count) + ")");
    if (!e.sentences.length) { add(ev, "div", "Không có câu nguồn.", "kg-hint"); }
    e.sentences.forEach(function (s) { quote(ev, s); });
    panel.scrollTop = 0;
    root.dataset.kgSelected = id;
  }
  network.on("click", function (params) {
    var edge = params.edges.length ? edges.get(params.edges[0]) : null;
    if (params.nodes.length && groupById[params.nodes[0]] && !membersOf[params.nodes[0]].length) {
      showGroup(params.nodes[0]);
    } else if (params.nodes.length && groupById[params.nodes[0]]) { expand(params.nodes[0], true); }
    else if (params.nodes.length) { choose(params.nodes[0], false, true); }
    else if (edge && edge.join) { expand(edge.from); expand(edge.to); }
    else if (edge) { network.selectEdges([edge.id]); showEdge(edge.id); }
    else if (view.selected) { clear(); }
  });
  return view;
})();
