// The view's behaviour: search, class filters, the details panel, settling the layout.
// Every text from the graph is put in the page with textContent, never as HTML.
(function () {
  "use strict";
  var root = document.documentElement;
  root.dataset.kgErrors = "0";
  function countError() { root.dataset.kgErrors = String(Number(root.dataset.kgErrors) + 1); }
  window.addEventListener("error", countError);
  var consoleError = console.error;
  console.error = function () { countError(); consoleError.apply(console, arguments); };

  var info = JSON.parse(document.getElementById("kg-data").textContent);
  var panel = document.getElementById("kg-panel");
  root.dataset.kgNodes = String(nodes.length);
  root.dataset.kgEdges = String(edges.length);

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }

  function add(parent, tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined) { el.textContent = text; }
    if (className) { el.className = className; }
    parent.appendChild(el);
    return el;
  }

  function list(title, items) {
    if (!items || !items.length) { return; }
    add(panel, "h4", title);
    var ul = add(panel, "ul");
    items.forEach(function (item) { add(ul, "li", item); });
  }

  function show(id) {
    var d = info[id];
    if (!d) { return; }
    panel.replaceChildren();
    add(panel, "h3", d.label);
    add(panel, "div", d.cls + " (" + d.type + ")");
    list("Tên khác", d.names);
    list("Định danh", d.ids);
    list("Tài liệu nhắc đến", d.documents);
    if (d.relations.length) {
      add(panel, "h4", "Quan hệ");
      d.relations.forEach(function (r) {
        add(panel, "div", r.text);
        r.sentences.forEach(function (s) { add(panel, "div", "“" + s + "”", "kg-quote"); });
      });
    }
    if (d.observations.length) {
      add(panel, "h4", "Số liệu");
      var table = add(panel, "table");
      var head = add(table, "tr");
      ["Chỉ tiêu", "Kỳ", "Giá trị", "Đơn vị"].forEach(function (h) { add(head, "th", h); });
      d.observations.forEach(function (o) {
        var row = add(table, "tr");
        [o.indicator, o.period, o.value, o.unit].forEach(function (v) { add(row, "td", v); });
      });
    }
    list("Câu nguồn", d.sentences);
    root.dataset.kgSelected = id;
  }

  network.on("click", function (params) { if (params.nodes.length) { show(params.nodes[0]); } });

  document.getElementById("kg-search").addEventListener("input", function (event) {
    var query = fold(event.target.value.trim());
    if (!query) { network.unselectAll(); return; }
    var found = Object.keys(info).filter(function (id) { return fold(info[id].search).indexOf(query) >= 0; });
    network.selectNodes(found);
    if (found.length) { network.focus(found[0], { scale: 1.2 }); show(found[0]); }
  });

  document.querySelectorAll(".kg-class input").forEach(function (box) {
    box.addEventListener("change", function () {
      var changes = nodes.get().filter(function (n) { return n.kgtype === box.value; })
        .map(function (n) { return { id: n.id, hidden: !box.checked }; });
      nodes.update(changes);
    });
  });

  // Large graphs: once laid out, physics stops, so the page stays responsive.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    root.dataset.kgStable = "1";
  });

  var wanted = decodeURIComponent((location.hash.match(/select=([^&]+)/) || [])[1] || "");
  if (wanted) { show(wanted); }
})();
