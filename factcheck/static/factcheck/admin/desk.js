"use strict";
// The reading desk: select a span of the article (mouse or keyboard), choose a claim, link.
//
// Offsets are counted in Unicode code points, as the server counts them; JavaScript
// strings count UTF-16 units, so every conversion goes through the text's code points.
// The server renders the text so that the element's text content is the article's text,
// character for character; the quote itself is cut from the stored text on the server.
(function () {
  const desk = document.querySelector(".desk");
  const textBox = document.getElementById("desk-text");
  if (!desk || !textBox) {
    return;
  }
  desk.classList.add("desk--js");
  for (const element of desk.querySelectorAll(".desk-js-only")) {
    element.hidden = false;
  }

  const chars = Array.from(textBox.textContent);
  const passages = Array.from(textBox.querySelectorAll(".desk-passage"));
  const candidateSections = new Map(
    Array.from(desk.querySelectorAll(".desk-candidates"), (section) => [section.dataset.passage, section])
  );
  const linkForm = document.getElementById("desk-link-form");
  const spanStatus = document.getElementById("desk-span-status");
  const spanQuote = document.getElementById("desk-span-quote");
  const choices = document.getElementById("desk-claim-choices");
  const noSuggestion = document.getElementById("desk-suggestions-none");
  let span = null;

  // --- Code points and DOM positions --------------------------------------------------

  function codePointLength(string) {
    let length = 0;
    for (const _ of string) {
      length += 1;
    }
    return length;
  }

  function offsetOf(node, offset) {
    const range = document.createRange();
    range.setStart(textBox, 0);
    range.setEnd(node, offset);
    return codePointLength(range.toString());
  }

  function unitsFor(string, codePoints) {
    let units = 0;
    for (let counted = 0; counted < codePoints && units < string.length; counted += 1) {
      units += string.codePointAt(units) > 0xffff ? 2 : 1;
    }
    return units;
  }

  function domPoint(codePoint) {
    const walker = document.createTreeWalker(textBox, NodeFilter.SHOW_TEXT);
    let remaining = codePoint;
    let node = walker.nextNode();
    while (node) {
      const length = codePointLength(node.data);
      if (remaining <= length) {
        return [node, unitsFor(node.data, remaining)];
      }
      remaining -= length;
      node = walker.nextNode();
    }
    return [textBox, textBox.childNodes.length];
  }

  function rangeFor(start, end) {
    const range = document.createRange();
    range.setStart(...domPoint(start));
    range.setEnd(...domPoint(end));
    return range;
  }

  // --- The span -----------------------------------------------------------------------

  const isBlank = (character) => /\s/u.test(character);

  function setSpan(start, end) {
    while (start < end && isBlank(chars[start])) {
      start += 1;
    }
    while (end > start && isBlank(chars[end - 1])) {
      end -= 1;
    }
    span = start < end ? { start, end } : null;
    for (const input of desk.querySelectorAll("input[data-span]")) {
      input.value = span ? span[input.dataset.span] : "";
    }
    showSpan();
    offerSuggestions();
  }

  function showSpan() {
    if (!spanStatus) {
      return;
    }
    if (!span) {
      spanStatus.textContent = "Nothing selected: select words in the text, or focus a passage and press Enter.";
      spanQuote.textContent = "";
      if (window.CSS && CSS.highlights) {
        CSS.highlights.delete("desk-span");
      }
      return;
    }
    const quote = chars.slice(span.start, span.end).join("");
    const words = quote.split(/\s+/u).filter(Boolean).length;
    spanStatus.textContent = `Selected ${words} word${words === 1 ? "" : "s"} (characters ${span.start}–${span.end}).`;
    spanQuote.textContent = quote;
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("desk-span", new Highlight(rangeFor(span.start, span.end)));
    }
  }

  function readSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return false;
    }
    const range = selection.getRangeAt(0);
    if (!textBox.contains(range.startContainer) || !textBox.contains(range.endContainer)) {
      return false;
    }
    setSpan(offsetOf(range.startContainer, range.startOffset), offsetOf(range.endContainer, range.endOffset));
    return true;
  }

  document.addEventListener("selectionchange", readSelection);

  function wordMove(move) {
    if (!span) {
      return;
    }
    let { start, end } = span;
    if (move === "end-later") {
      while (end < chars.length && isBlank(chars[end])) end += 1;
      while (end < chars.length && !isBlank(chars[end])) end += 1;
    } else if (move === "end-earlier") {
      let next = end;
      while (next > start && !isBlank(chars[next - 1])) next -= 1;
      while (next > start && isBlank(chars[next - 1])) next -= 1;
      if (next > start) end = next;
    } else if (move === "start-earlier") {
      while (start > 0 && isBlank(chars[start - 1])) start -= 1;
      while (start > 0 && !isBlank(chars[start - 1])) start -= 1;
    } else if (move === "start-later") {
      let next = start;
      while (next < end && !isBlank(chars[next])) next += 1;
      while (next < end && isBlank(chars[next])) next += 1;
      if (next < end) start = next;
    }
    setSpan(start, end);
  }

  for (const button of desk.querySelectorAll("button[data-move]")) {
    button.addEventListener("click", () => wordMove(button.dataset.move));
  }

  // --- Passages: focus, open, select ---------------------------------------------------

  function passageSpan(passage) {
    return { start: Number(passage.dataset.start), end: Number(passage.dataset.end) };
  }

  // With nothing selected every passage's suggestions are listed, as an overview.
  function showCandidates(numbers) {
    let shown = 0;
    for (const [number, section] of candidateSections) {
      section.hidden = Boolean(span) && !numbers.includes(number);
      shown += section.hidden ? 0 : 1;
    }
    for (const passage of passages) {
      if (candidateSections.has(passage.dataset.passage)) {
        passage.setAttribute("aria-expanded", String(numbers.includes(passage.dataset.passage)));
      }
    }
    if (noSuggestion) {
      noSuggestion.hidden = shown > 0 || !span;
    }
  }

  function overlappingPassages() {
    if (!span) {
      return [];
    }
    return passages.filter((passage) => {
      const { start, end } = passageSpan(passage);
      return start < span.end && span.start < end;
    });
  }

  function openPassage(passage, { select }) {
    lastPassage = passage;
    if (select) {
      const { start, end } = passageSpan(passage);
      window.getSelection().removeAllRanges();
      setSpan(start, end);
    } else {
      showCandidates([passage.dataset.passage]);
    }
  }

  passages.forEach((passage, index) => {
    const section = candidateSections.get(passage.dataset.passage);
    passage.setAttribute("role", "button");
    passage.tabIndex = index === 0 ? 0 : -1;
    if (section) {
      passage.setAttribute("aria-controls", section.id);
      passage.setAttribute("aria-expanded", "false");
      passage.setAttribute("aria-describedby", section.querySelector("h3").id);
    }
    passage.addEventListener("click", () => {
      // A drag that ends in the passage selected words already: keep them.
      openPassage(passage, { select: window.getSelection().isCollapsed });
    });
    passage.addEventListener("focus", () => {
      for (const other of passages) {
        other.tabIndex = other === passage ? 0 : -1;
      }
    });
    passage.addEventListener("keydown", (event) => {
      const moves = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        openPassage(passage, { select: true });
      } else if (event.key in moves) {
        event.preventDefault();
        const next = passages[index + moves[event.key]];
        if (next) next.focus();
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        passages[event.key === "Home" ? 0 : passages.length - 1].focus();
      }
    });
  });

  showCandidates([]);

  // Escape in the panel goes back to the passage last worked on, to carry on reading.
  let lastPassage = null;
  const panel = document.getElementById("desk-panel");
  if (panel) {
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && lastPassage && !event.defaultPrevented) {
        lastPassage.focus();
      }
    });
  }

  // --- Claims: the suggestions for the span, and search ---------------------------------

  function claimRadio(id, statement, detail, { searched = false, note = "" } = {}) {
    const label = document.createElement("label");
    label.className = "desk-claim-choice";
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "claim";
    radio.value = id;
    radio.required = true;
    if (searched) radio.dataset.searched = "true";
    const text = document.createElement("span");
    text.textContent = statement;
    const meta = document.createElement("span");
    meta.className = "desk-meta";
    meta.textContent = detail;
    label.append(radio, " ", text, " ", meta);
    if (note) {
      const explained = document.createElement("span");
      explained.className = "desk-meta desk-meta--note";
      explained.textContent = note;
      label.append(" ", explained);
    }
    return label;
  }

  // Why a suggestion ranks where it does, in the passage list's words.
  function togetherNote(together) {
    return together ? desk.dataset.togetherNote : "";
  }

  function offerSuggestions() {
    const overlapping = overlappingPassages();
    showCandidates(overlapping.map((passage) => passage.dataset.passage));
    if (!choices || !linkForm) {
      return;
    }
    const checked = choices.querySelector("input:checked");
    const keep = checked && checked.dataset.searched ? checked.closest("label") : null;
    const best = new Map();
    for (const passage of overlapping) {
      const section = candidateSections.get(passage.dataset.passage);
      if (!section) continue;
      for (const item of section.querySelectorAll(".desk-candidate")) {
        const known = best.get(item.dataset.claim);
        if (!known || Number(item.dataset.score) > Number(known.dataset.score)) {
          best.set(item.dataset.claim, item);
        }
      }
    }
    const ranked = Array.from(best.values()).sort((a, b) => Number(b.dataset.score) - Number(a.dataset.score));
    const labels = ranked
      .filter((item) => !keep || keep.querySelector("input").value !== item.dataset.claim)
      .map((item) =>
        claimRadio(item.dataset.claim, item.dataset.statement, `score ${item.dataset.score} · ${item.dataset.status}`, {
          note: togetherNote(item.dataset.together),
        })
      );
    choices.replaceChildren(...labels, ...(keep ? [keep] : []));
    const previous = checked && choices.querySelector(`input[value="${CSS.escape(checked.value)}"]`);
    if (previous) previous.checked = true;
    clearTimeout(spanWaiting);
    if (span) spanWaiting = setTimeout(suggestForSpan, 300);
  }

  // The span itself may state a claim no whole passage does (a clause, two sentences):
  // the server ranks the claims for exactly the selected words, and they join the choice.
  let spanLookup = 0;
  let spanWaiting = null;

  async function suggestForSpan() {
    const asked = span;
    const mine = (spanLookup += 1);
    let found;
    try {
      const query = new URLSearchParams({ start: asked.start, end: asked.end });
      const response = await fetch(`${linkForm.dataset.suggestionsUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      found = (await response.json()).candidates;
    } catch (error) {
      return;
    }
    if (mine !== spanLookup || span !== asked) return;
    for (const candidate of found) {
      if (choices.querySelector(`input[value="${CSS.escape(String(candidate.claim))}"]`)) continue;
      const detail = `score ${candidate.score.toFixed(2)} for the selection · ${candidate.status}`;
      const label = claimRadio(String(candidate.claim), candidate.statement, detail, {
        note: togetherNote(candidate.stated_together),
      });
      const searched = choices.querySelector("input[data-searched]");
      choices.insertBefore(label, searched ? searched.closest("label") : null);
    }
    if (noSuggestion) {
      noSuggestion.hidden = Boolean(choices.querySelector("input"));
    }
  }

  const search = document.getElementById("desk-claim-search");
  const results = document.getElementById("desk-claim-results");
  const searchStatus = document.getElementById("desk-claim-search-status");
  let lookup = 0;
  let waiting = null;
  let active = -1;

  function closeResults() {
    results.hidden = true;
    results.replaceChildren();
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function chooseClaim(option) {
    for (const old of choices.querySelectorAll("input[data-searched]")) {
      old.closest("label").remove();
    }
    const existing = choices.querySelector(`input[value="${CSS.escape(option.dataset.claim)}"]`);
    const radio = existing || choices.appendChild(
      claimRadio(option.dataset.claim, option.textContent, "found by search", { searched: true })
    ).querySelector("input");
    radio.checked = true;
    searchStatus.textContent = `Chosen: ${option.textContent}`;
    closeResults();
    search.value = "";
  }

  function markActive(index) {
    const options = results.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    search.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  async function lookUp() {
    const term = search.value.trim();
    const mine = (lookup += 1);
    if (!term) {
      closeResults();
      return;
    }
    let found;
    try {
      const response = await fetch(`${linkForm.dataset.autocompleteUrl}&term=${encodeURIComponent(term)}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      found = (await response.json()).results;
    } catch (error) {
      searchStatus.textContent = "The search failed; try again.";
      return;
    }
    if (mine !== lookup) return;
    const options = found.map((result, index) => {
      const option = document.createElement("li");
      option.id = `desk-claim-option-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.claim = result.id;
      option.textContent = result.text;
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => chooseClaim(option));
      return option;
    });
    results.replaceChildren(...options);
    results.hidden = options.length === 0;
    search.setAttribute("aria-expanded", String(options.length > 0));
    searchStatus.textContent = options.length
      ? `${options.length} claim${options.length === 1 ? "" : "s"} found: arrow keys to move, Enter to choose.`
      : "No claim found.";
    active = -1;
  }

  if (search) {
    search.addEventListener("input", () => {
      clearTimeout(waiting);
      waiting = setTimeout(lookUp, 250);
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        markActive(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        event.preventDefault(); // never submits the form from the search box
        const option = results.querySelectorAll("[role=option]")[active];
        if (option) chooseClaim(option);
      } else if (event.key === "Escape" && !results.hidden) {
        event.preventDefault();
        closeResults();
      }
    });
    search.addEventListener("blur", () => setTimeout(closeResults, 150));
  }

  // --- Submitting -----------------------------------------------------------------------

  for (const form of desk.querySelectorAll(".desk-form")) {
    form.addEventListener("submit", (event) => {
      if (!span) {
        event.preventDefault();
        spanStatus.textContent = "Select the words of the quote first.";
        spanStatus.closest("section").scrollIntoView({ block: "nearest" });
      }
    });
  }

  // After a refused submission the page comes back with the span it was given.
  for (const form of desk.querySelectorAll(".desk-form")) {
    const [from, to] = ["start", "end"].map((name) => form.querySelector(`input[data-span=${name}]`).value);
    if (from === "" || to === "") continue;
    const [start, end] = [Number(from), Number(to)];
    if (Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= chars.length) {
      setSpan(start, end);
      const initial = linkForm && linkForm.dataset.claimInitial;
      const radio = initial && choices.querySelector(`input[value="${CSS.escape(initial)}"]`);
      if (radio) radio.checked = true;
      break;
    }
  }
  const linked = document.getElementById("desk-linked");
  if (linked) linked.focus();
})();
