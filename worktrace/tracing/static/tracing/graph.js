// The contact network: F0 → F1 → F2, edges coloured by relation; a click on a person opens their profile.
(function () {
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var colours = JSON.parse(document.getElementById("graph-colours").textContent);
  var script = document.currentScript;
  var profileUrl = script.getAttribute("data-profile-url");
  // Legend colours come as data- attributes: the Content-Security-Policy refuses inline style attributes,
  // while setting a style property from a script of this site is allowed.
  document.querySelectorAll(".legend [data-colour]").forEach(function (span) {
    span.style.borderBottomColor = span.getAttribute("data-colour");
  });
  var levelColour = { F0: "#b71c1c", F1: "#e65100", F2: "#f9a825", F3: "#fdd835", monitor: "#bdbdbd" };
  var elements = data.nodes.concat(data.edges);
  var cy = cytoscape({
    container: document.getElementById("graph"),
    elements: elements,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 9, width: 14, height: 14,
        "background-color": function (n) { return levelColour[n.data("level")] || "#90a4ae"; } } },
      { selector: "node[level = 'F0']", style: { width: 26, height: 26, "font-weight": "bold" } },
      { selector: "edge", style: { width: 1.5, "curve-style": "haystack",
        "line-color": function (e) { return colours[e.data("kind")] || "#999"; } } }
    ],
    layout: { name: elements.length > 1500 ? "grid" : "concentric", minNodeSpacing: 6,
      concentric: function (n) { return { F0: 4, F1: 3, F2: 2, F3: 1 }[n.data("level")] || 0; },
      levelWidth: function () { return 1; } }
  });
  cy.on("tap", "node", function (event) {
    window.location.href = profileUrl.replace(/0\/$/, event.target.id() + "/");
  });
  window.worktraceGraph = cy;
})();
