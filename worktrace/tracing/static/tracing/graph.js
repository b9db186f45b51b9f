// The contact network of a kept trace (worktrace/tracing/graph.py builds the data, served as JSON).
// Places are compound nodes (a team of a company, a bus, a room of a boarding house). F0 and the F1s
// are drawn one by one; everyone else is gathered per place and level ("+37 F2") until a click opens them.
// Opening and closing redraw in place, without a reload. A click on a person opens their profile.
// #graph[data-state] says "loading", "ready" (after each layout) or "error": tests wait on it, not on eval.
(function () {
  var container = document.getElementById("graph");
  if (!container) return;
  var status = document.getElementById("graph-status");
  var profileUrl = container.getAttribute("data-profile-url");
  // Legend colours come as data- attributes: the Content-Security-Policy refuses inline style attributes,
  // while setting a style property from a script of this site is allowed.
  document.querySelectorAll("#graph-legend [data-colour]").forEach(function (span) {
    span.style.setProperty("--colour", span.getAttribute("data-colour"));
  });
  container.setAttribute("data-state", "loading");

  function draw(data) {
    var people = {}, bundles = {}, places = {}, expanded = {};
    data.people.forEach(function (p) { people[p.id] = p; });
    data.bundles.forEach(function (b) { bundles[b.id] = b; });
    data.groups.forEach(function (g) { places[g.id] = g; });
    var levelColours = data.colours.levels, kindColours = data.colours.kinds;

    function levelColour(level) { return levelColours[level] || data.colours.deeper; }
    function shown(id) {  // the node standing for a person: their gathered node while it is closed
      var bundle = people[id].bundle;
      return bundle && !expanded[bundle] ? bundle : id;
    }
    function inside(placeId, ancestorId) {
      for (var id = placeId; id; id = places[id] ? places[id].parent : null) {
        if (id === ancestorId) return true;
      }
      return false;
    }
    function sameKind(placeKind, edgeKind) {
      return placeKind === edgeKind || (placeKind === "vehicle" && edgeKind === "trip");
    }
    function elements() {
      var items = [], content = {}, drawn = {}, edges = {}, nodes = [], list = [];
      data.people.forEach(function (p) {
        if (shown(p.id) === p.id) items.push({ id: p.id, label: p.label, kind: "person", level: p.level, parent: p.parent });
      });
      data.bundles.forEach(function (b) {
        if (!expanded[b.id]) items.push({ id: b.id, label: b.label, kind: "bundle", level: b.level, count: b.count,
          parent: b.parent });
      });
      // A box is drawn when it holds people, a drawn box, or two things; a box that would only frame one gathered
      // node is left out and the node stands alone (the colour of its edges says where the contact was).
      function add(box, weighty) {
        var c = content[box] || (content[box] = { weighty: 0, things: 0 });
        c.things += 1;
        if (weighty) c.weighty += 1;
      }
      items.forEach(function (item) { if (item.parent) add(item.parent, item.kind === "person"); });
      data.groups.slice().reverse().forEach(function (g) {  // the list has parents first: children come first here
        var c = content[g.id] || { weighty: 0, things: 0 };
        drawn[g.id] = c.weighty > 0 || c.things >= 2;
        if (g.parent && c.things) add(g.parent, drawn[g.id]);
      });
      function box(id) {
        while (id && !drawn[id]) id = places[id].parent;
        return id || undefined;
      }
      function boxOf(id) { return box(people[id] ? people[id].parent : bundles[id] ? bundles[id].parent : null); }
      data.groups.forEach(function (g) {
        if (drawn[g.id]) nodes.push({ group: "nodes", data: { id: g.id, label: g.label, kind: "place", place: g.kind,
          parent: box(g.parent) } });
      });
      items.forEach(function (item) {
        item.parent = box(item.parent);
        nodes.push({ group: "nodes", data: item });
      });
      data.edges.forEach(function (e) {
        var source = shown(e[0]), target = shown(e[1]), around = boxOf(target);
        // A contact made in the box the target sits in is drawn once, to the box: the box is the relation.
        // Inside the box nothing is drawn: being in it together is the contact.
        if (around && sameKind(places[around].kind, e[2])) {
          if (inside(boxOf(source), around)) return;
          target = around;
        }
        if (source === target) return;
        var id = "e:" + source + ">" + target + ":" + e[2];
        if (edges[id]) { edges[id].data.count += 1; return; }
        edges[id] = { group: "edges", data: { id: id, source: source, target: target, kind: e[2], count: 1 } };
      });
      // Several people of one box reaching the same node the same way: one edge from the box, as wide as them all.
      var fromBox = {};
      Object.keys(edges).forEach(function (id) {
        var d = edges[id].data, from = boxOf(d.source);
        if (!from || drawn[d.target] && inside(d.target, from) || inside(boxOf(d.target), from)) return;
        (fromBox[from + ">" + d.target + ":" + d.kind] = fromBox[from + ">" + d.target + ":" + d.kind] || []).push(id);
      });
      Object.keys(fromBox).forEach(function (key) {
        var ids = fromBox[key];
        if (ids.length < 2) return;
        var first = edges[ids[0]].data, count = 0;
        ids.forEach(function (id) { count += edges[id].data.count; delete edges[id]; });
        edges["e:" + key] = { group: "edges", data: { id: "e:" + key, source: boxOf(first.source), target: first.target,
          kind: first.kind, count: count } };
      });
      Object.keys(edges).forEach(function (id) { list.push(edges[id]); });
      return nodes.concat(list);
    }

    var cy = cytoscape({
      container: container,
      elements: elements(),
      minZoom: 0.05,
      maxZoom: 4,
      style: [
        { selector: "node[kind = 'person']", style: {
          width: 18, height: 18, label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 2,
          "min-zoomed-font-size": 6, "text-wrap": "ellipsis", "text-max-width": 90,
          "background-color": function (n) { return levelColour(n.data("level")); },
          "border-width": 1, "border-color": "#fff" } },
        { selector: "node[level = 'F0']", style: {
          width: 34, height: 34, "font-size": 13, "font-weight": "bold", "border-width": 3, "border-color": "#000",
          "min-zoomed-font-size": 0, "text-background-color": "#fff", "text-background-opacity": 0.8 } },
        { selector: "node[kind = 'bundle']", style: {
          shape: "round-rectangle", label: "data(label)", "font-size": 15, "font-weight": "bold",
          "text-valign": "center", "text-halign": "center", color: "#212121",
          width: function (n) { return 14 + 9 * n.data("label").length; }, height: 28,
          "background-color": function (n) { return levelColour(n.data("level")); },
          "border-width": 2, "border-color": "#424242", "border-style": "dashed" } },
        { selector: "node[kind = 'place']", style: {
          label: "data(label)", "font-size": 12, color: "#37474f", "text-valign": "top", "text-halign": "center",
          "text-wrap": "wrap", "text-max-width": 240, "min-zoomed-font-size": 5,
          "background-color": "#fafafa", "background-opacity": 0.7, padding: 8, shape: "round-rectangle",
          "border-width": 1.5, "border-style": function (n) { return n.data("place") === "vehicle" ? "dashed" : "solid"; },
          "border-color": function (n) { return kindColours[n.data("place")] || "#546e7a"; } } },
        { selector: "edge", style: {
          width: function (e) { return 1.2 + Math.min(5, Math.log2(e.data("count"))); },
          "curve-style": "bezier", opacity: 0.75,
          "line-color": function (e) { return kindColours[e.data("kind")] || "#999"; } } }
      ]
    });
    window.worktraceGraph = cy;  // the same task that drew the canvas: browser tests read it once it is there

    var first = true;
    function layout() {
      container.setAttribute("data-state", "layout");
      var started = performance.now();
      var run = cy.layout({
        name: "fcose", quality: "default", randomize: first, animate: !first, animationDuration: 300,
        fit: first, padding: 16, nodeDimensionsIncludeLabels: true, packComponents: true,
        nodeRepulsion: 4500, nestingFactor: 0.1, numIter: 2500,
        // Short edges to gathered nodes that stand alone (satellites of the person who reached them).
        idealEdgeLength: function (edge) { return edge.target().isChild() ? 80 : 35; },
        edgeElasticity: function (edge) { return edge.target().isChild() ? 0.3 : 0.6; },
        // Pull what a box holds together: nothing inside a box is joined by an edge.
        gravity: 0.4, gravityCompound: 4, gravityRangeCompound: 0.8,
        tile: true, tilingPaddingVertical: 8, tilingPaddingHorizontal: 8
      });
      run.one("layoutstop", function () {
        first = false;
        container.setAttribute("data-layout-ms", Math.round(performance.now() - started));
        container.setAttribute("data-state", "ready");
        var open = data.bundles.filter(function (b) { return expanded[b.id]; }).length;
        status.textContent = container.getAttribute("data-status")
          .replace("%(shown)s", cy.nodes("[kind != 'place']").length)
          .replace("%(people)s", data.people.length)
          + (data.bundles.length ? " · " + open + "/" + data.bundles.length : "");
      });
      run.run();
    }

    function redraw() {
      var wanted = elements(), ids = {}, positions = {};
      cy.nodes().forEach(function (n) { positions[n.id()] = n.position(); });
      wanted.forEach(function (el) { ids[el.data.id] = true; });
      cy.batch(function () {
        cy.elements().filter(function (el) { return !ids[el.id()]; }).remove();
        wanted.forEach(function (el) {
          if (cy.getElementById(el.data.id).nonempty()) return;
          if (el.group === "nodes") {
            var from = el.data.kind === "person" ? positions[people[el.data.id].bundle] : null;
            if (el.data.kind === "bundle") {  // closing again: where its people were
              var xs = 0, ys = 0, n = 0;
              data.people.forEach(function (p) {
                if (p.bundle === el.data.id && positions[p.id]) { xs += positions[p.id].x; ys += positions[p.id].y; n++; }
              });
              if (n) from = { x: xs / n, y: ys / n };
            }
            if (from) el.position = { x: from.x + (Math.random() - 0.5) * 30, y: from.y + (Math.random() - 0.5) * 30 };
          }
          cy.add(el);
        });
      });
      layout();
    }

    cy.on("tap", "node", function (event) {
      var node = event.target, kind = node.data("kind");
      if (kind === "person") {
        window.location.href = profileUrl.replace(/0\/$/, node.id() + "/");
      } else if (kind === "bundle") {
        expanded[node.id()] = true;
        redraw();
      } else if (kind === "place") {  // close what is open inside; when nothing is, open everything inside
        var within = data.bundles.filter(function (b) { return inside(b.parent, node.id()); });
        var open = within.filter(function (b) { return expanded[b.id]; });
        (open.length ? open : within).forEach(function (b) { expanded[b.id] = !open.length; });
        if (within.length) redraw();
      }
    });
    document.querySelectorAll("[data-graph]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.getAttribute("data-graph");
        if (action === "fit") { cy.fit(undefined, 16); return; }
        data.bundles.forEach(function (b) { expanded[b.id] = action === "expand"; });
        redraw();
      });
    });
    layout();
  }

  fetch(container.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(draw)
    .catch(function () {
      container.setAttribute("data-state", "error");
      status.textContent = container.getAttribute("data-error");
    });
})();
