"""The coverage view: each open goal as a tree of domains and topics.

A domain shows its weight, hours, share of the goal's hours against its weight,
coverage, latest practice score and mean confidence; a topic its hours against
the hours expected, confidence, notes and resources. Keys act on the selected
topic: rate it (1-5, c), read its notes (n), see and update its resources (R),
add a resource (a). The line under the tree says everything in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, Tree

from tracker.tui.text import Doc
from tracker.tui.views.base import View
from tracker.tui.worker import run_db

LOW_PRACTICE = 70.0     # as weakness.LOW_DOMAIN_SCORE: under it a domain is weak
LOW_CONFIDENCE = 2      # a topic rated 1 or 2 is weak
HIGH_CONFIDENCE = 4     # rated 4 or 5 and its expected hours logged: ready
SHARE_SLACK = 5.0       # share of hours within 5 points of the weight counts as even
RATE = Binding.Group("Rate", compact=True)
WORD_STYLES = {"weak": "$error", "ready": "$success"}
TOGGLE = Style.from_meta({"toggle": True})  # as Tree's own: a click on the arrow folds the node


def fit(text: str, width: int) -> str:
    """``text`` cut with an ellipsis (or padded) to exactly ``width`` cells."""
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…"
    return set_cell_size(text, width)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Status:
    mark: str       # ✓ ready, ✗ weak, · neither: the symbol carries what the colour does
    role: str       # a component class suffix: ready, weak or ""
    words: str


@dataclass(frozen=True)
class TopicRow:
    goal_id: int
    exam_code: str
    domain: str
    name: str
    seconds: int
    expected_seconds: float
    confidence: int | None
    rated_on: date | None
    notes: int
    resources: int
    resource_progress: float

    @property
    def key(self) -> tuple:
        return ("topic", self.goal_id, self.name)

    @property
    def behind(self) -> bool:
        return self.expected_seconds > 0 and self.seconds < self.expected_seconds / 2

    def status(self) -> Status:
        if self.confidence is not None and self.confidence <= LOW_CONFIDENCE:
            return Status("✗", "weak", f"weak: rated {self.confidence} of 5")
        if self.behind:
            return Status("✗", "weak", "weak: under half its expected hours")
        if (self.confidence or 0) >= HIGH_CONFIDENCE and self.seconds >= self.expected_seconds:
            return Status("✓", "ready", f"ready: rated {self.confidence} of 5 and its hours logged")
        return Status("·", "", "in progress" if self.confidence else "in progress, not rated yet")

    def parts(self, room: int) -> list[tuple[str, str]]:
        s = self.status()
        hours = f"{self.seconds / 3600:.1f}/{self.expected_seconds / 3600:.1f} h"
        conf = f"{self.confidence}/5" if self.confidence else "—"
        figures = [(f"  {hours:>11}", "under" if self.behind else ""),
                   ("  conf ", ""), (f"{conf:>3}", s.role if self.confidence else "dim"),
                   (f"  {plural(self.notes, 'note'):<8}", "" if self.notes else "dim"),
                   (f"  {self.resources} res", "" if self.resources else "dim")]
        width = max(8, room - 3 - sum(cell_len(t) for t, _ in figures))
        return [(f"{s.mark} ", s.role), (fit(self.name, width), ""), *figures]

    def describe(self) -> Doc:
        s = self.status()
        doc = Doc().add(self.name, "bold").line(f"  — {self.domain}", "dim")
        doc.add(f"{self.seconds / 3600:.1f} h of {self.expected_seconds / 3600:.1f} h expected · ")
        if self.confidence:
            doc.add(f"confidence {self.confidence}/5 (rated {self.rated_on}) · ")
        else:
            doc.add("not rated yet · ")
        doc.add(f"{plural(self.notes, 'note')} · {plural(self.resources, 'resource')}")
        if self.resources:
            doc.add(f" ({self.resource_progress:.0%} done)")
        return doc.line().add(f"{s.mark} {s.words}", WORD_STYLES.get(s.role, ""))


@dataclass(frozen=True)
class DomainRow:
    goal_id: int
    number: int
    name: str
    weight: float           # percent, normalised
    weight_text: str        # as the vendor states it: "30%" or "25–30%"
    seconds: int
    share: float            # 0-1 of the goal's hours
    coverage: float         # 0-1
    practice: float | None
    confidence: float | None
    topics: tuple[TopicRow, ...]

    @property
    def key(self) -> tuple:
        return ("domain", self.goal_id, self.name)

    def balance(self) -> tuple[str, str]:
        """An arrow and words for the share of hours against the weight."""
        diff = self.share * 100 - self.weight
        if diff > SHARE_SLACK:
            return "▲", "more than its weight"
        if diff < -SHARE_SLACK:
            return "▼", "less than its weight"
        return "≈", "in line with its weight"

    def status(self) -> Status:
        if self.practice is not None and self.practice < LOW_PRACTICE:
            return Status("✗", "weak", f"weak: latest practice {self.practice:.0f}% is under "
                          f"{LOW_PRACTICE:.0f}%")
        if self.confidence is not None and self.confidence < LOW_CONFIDENCE + 0.5:
            return Status("✗", "weak", f"weak: mean confidence {self.confidence:.1f} of 5")
        if self.practice is not None:
            return Status("✓", "ready", f"ready: latest practice {self.practice:.0f}% "
                          f"(at least {LOW_PRACTICE:.0f}%)")
        return Status("·", "", "no practice score yet")

    def parts(self, room: int) -> list[tuple[str, str]]:
        s = self.status()
        arrow, _ = self.balance()
        practice = "—" if self.practice is None else f"{self.practice:.0f}%"
        conf = "—" if self.confidence is None else f"{self.confidence:.1f}"
        figures = [(f"  {self.weight:>3.0f}% wt", ""), (f"  {self.seconds / 3600:>5.1f} h", ""),
                   (f"  {self.share * 100:>3.0f}% ", ""), (arrow, "under" if arrow == "▼" else ""),
                   (f"  cov {self.coverage * 100:>3.0f}%", ""), ("  prac ", ""),
                   (f"{practice:>4}", s.role if self.practice is not None else "dim"),
                   ("  conf ", ""), (f"{conf:>3}", "" if self.confidence else "dim")]
        width = max(8, room - 3 - sum(cell_len(t) for t, _ in figures))
        return [(f"{s.mark} ", s.role), (fit(f"{self.number}. {self.name}", width), ""), *figures]

    def describe(self) -> Doc:
        s = self.status()
        _, balance = self.balance()
        doc = Doc().add(f"{self.number}. {self.name}", "bold").line(f"  — weight {self.weight_text}",
                                                                  "dim")
        doc.add(f"{self.seconds / 3600:.1f} h, {self.share:.0%} of your hours ({balance}) · "
                f"coverage {self.coverage:.0%} · ")
        doc.add("no practice yet" if self.practice is None else f"practice {self.practice:.0f}%")
        rated = [t for t in self.topics if t.confidence]
        if self.confidence is not None:
            doc.add(f" · confidence {self.confidence:.1f}/5 over {len(rated)} of "
                    f"{len(self.topics)} topics")
        return doc.line().add(f"{s.mark} {s.words}", WORD_STYLES.get(s.role, ""))


@dataclass(frozen=True)
class GoalRow:
    goal_id: int
    code: str
    name: str
    hours: float
    target: float | None
    countdown: str | None
    ready: bool
    domains: tuple[DomainRow, ...]

    @property
    def key(self) -> tuple:
        return ("goal", self.goal_id)

    def parts(self, room: int) -> list[tuple[str, str]]:
        hours = f"{self.hours:.1f} of {self.target:g} h" if self.target else f"{self.hours:.1f} h"
        tail = f"  {hours}" + (f" · exam {self.countdown}" if self.countdown else "")
        verdict = [("  READY", "ready")] if self.ready else []
        width = max(8, room - 1 - cell_len(tail) - sum(cell_len(t) for t, _ in verdict))
        return [(fit(f"{self.code} {self.name}", width), "title"), (tail, ""), *verdict]

    def describe(self) -> Doc:
        doc = Doc().add(self.code, "bold").line(f"  {self.name}")
        doc.add(f"{self.hours:.1f} h logged" + (f" of {self.target:g} h" if self.target else ""))
        if self.countdown:
            doc.add(f" · exam {self.countdown}")
        doc.add(" · READY to book" if self.ready else " · not ready yet",
                "bold $success" if self.ready else "")
        return doc.line().add("Select a topic to rate it (1–5), read its notes (n) or its "
                              "resources (R).", "dim")


class CoverageTree(Tree):
    """Labels are drawn from each node's row at the tree's current width, so the
    figures stay visible and names give way on a narrow terminal."""

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {
        "coverage--weak", "coverage--ready", "coverage--under", "coverage--dim", "coverage--title"}

    def render_label(self, node, base_style, style) -> Text:
        row = node.data
        if row is None:
            return super().render_label(node, base_style, style)
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        icon = len(self.ICON_NODE) if node.allow_expand else 0
        room = self.size.width - self.styles.scrollbar_size_vertical - depth * self.guide_depth - icon
        label = Text(no_wrap=True, end="")
        for text, role in row.parts(room):
            label.append(text, self.get_component_rich_style(f"coverage--{role}", partial=True)
                         if role else None)
        label.stylize(style)
        if node.allow_expand:
            toggle = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((toggle, base_style + TOGGLE), label)
        return label

    def on_resize(self) -> None:
        self._invalidate()  # the labels depend on the width

    def redraw(self) -> None:
        """Draw again after rows were swapped into the nodes in place."""
        self._invalidate()


@dataclass(frozen=True)
class CoverageData:
    goals: list[GoalRow]


class CoverageView(View):
    BINDINGS = [
        *[Binding(str(n), f"rate({n})", f"Rate {n}", group=RATE) for n in range(1, 6)],
        Binding("c", "confidence", "Confidence"),
        Binding("n", "notes", "Notes"),
        Binding("R", "resources", "Resources"),
        Binding("shift+r", "resources", "Resources", show=False),  # as terminals with kitty keys send it
        Binding("a", "add_resource", "Add resource"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Doc().add("✓ ready  ✗ weak  ▲▼ share of hours above/below the weight",
                               "dim").content(), id="coverage-legend")
        tree: CoverageTree = CoverageTree("Goals", id="coverage-tree")
        tree.show_root = False
        tree.guide_depth = 3
        yield tree
        yield Static(id="coverage-detail")

    # --- data -----------------------------------------------------------------

    def fetch(self, session, learner_id: int) -> CoverageData:
        from sqlalchemy import select

        from tracker import clock
        from tracker.models import OPEN_STATUSES, Goal
        from tracker.services.evidence import gather
        from tracker.services.progress import goal_progress

        catalog = self.ctx.catalog
        tz = clock.local_tz()
        goals = session.execute(
            select(Goal).where(Goal.learner_id == learner_id, Goal.status.in_(OPEN_STATUSES))
            .order_by(Goal.exam_date, Goal.id)
        ).scalars().all()
        rows = []
        for goal in goals:
            exam = catalog.find(goal.exam_code)
            if exam is None:  # dropped from the catalog: nothing to lay out
                continue
            progress = goal_progress(session, goal, exam, catalog, weakest=0)
            topics: dict[str, list[TopicRow]] = {}
            for t in gather(session, goal, exam).topics:
                topics.setdefault(t.domain, []).append(TopicRow(
                    goal.id, exam.code, t.domain, t.topic, t.seconds, t.expected_seconds,
                    t.confidence, t.confidence_at.astimezone(tz).date() if t.confidence_at else None,
                    t.notes, t.resources, t.resource_progress))
            ranges = {d.name: d.weight_text() for d in exam.domains}
            domains = tuple(DomainRow(
                goal.id, d.number, d.name, d.weight, ranges[d.name], d.seconds, d.share, d.coverage,
                d.practice_score, d.confidence, tuple(topics.get(d.name, ())))
                for d in progress.domains)
            rows.append(GoalRow(goal.id, exam.code, exam.name, progress.hours_logged,
                                progress.target_hours, progress.countdown, progress.ready, domains))
        return CoverageData(rows)

    def show(self, data: CoverageData) -> None:
        tree = self.query_one(CoverageTree)
        rows = {}
        for g in data.goals:
            rows[g.key] = g
            for d in g.domains:
                rows[d.key] = d
                rows.update({t.key: t for t in d.topics})
        nodes = self._node_map()
        if list(nodes) == list(rows):
            # Same shape (the usual case after a rating): keep cursor, scroll and folds.
            for key, node in nodes.items():
                node.data = rows[key]
            tree.redraw()
        else:
            self._rebuild(tree, data, nodes)
        if data.goals:
            self._describe()
        else:
            self.query_one("#coverage-detail", Static).update(
                Doc().add("No open goals. Press ctrl+p and choose “Add a goal”.", "dim").content())

    def _node_map(self) -> dict:
        found = {}

        def walk(node) -> None:
            for child in node.children:
                found[child.data.key] = child
                walk(child)

        walk(self.query_one(CoverageTree).root)
        return found

    def _rebuild(self, tree: CoverageTree, data: CoverageData, old: dict) -> None:
        cursor = tree.cursor_node.data.key if tree.cursor_node and tree.cursor_node.data else None
        folded = {key for key, node in old.items() if node.allow_expand and not node.is_expanded}
        tree.clear()
        for g in data.goals:
            # Labels are drawn by CoverageTree; these plain ones are never parsed as markup.
            goal = tree.root.add(Text(g.code), g, expand=g.key not in folded)
            for d in g.domains:
                domain = goal.add(Text(d.name), d, expand=d.key not in folded)
                for t in d.topics:
                    domain.add_leaf(Text(t.name), t)
        nodes = self._node_map()
        target = nodes.get(cursor) or next(
            (n for n in nodes.values() if isinstance(n.data, TopicRow)), None)
        if target is not None:
            self.call_after_refresh(self._put_cursor, target)

    def _put_cursor(self, node) -> None:
        tree = self.query_one(CoverageTree)
        tree.cursor_line = node.line
        if tree.size.height:  # a hidden tab has no height: scrolling now would hide the top
            tree.scroll_to_node(node, animate=False)

    # --- the line under the tree ------------------------------------------------

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        self._describe()

    def _describe(self) -> None:
        node = self.query_one(CoverageTree).cursor_node
        if node is not None and node.data is not None:
            self.query_one("#coverage-detail", Static).update(node.data.describe().content())

    def selected_topic(self) -> TopicRow | None:
        node = self.query_one(CoverageTree).cursor_node
        row = node.data if node is not None else None
        if isinstance(row, TopicRow):
            return row
        if node is None:
            self.app.notify("There are no topics: add a goal first (ctrl+p, “Add a goal”).",
                            severity="warning", timeout=4)
        else:
            self.app.notify("Select a topic first: ratings, notes and resources belong to topics.",
                            title="No topic selected", severity="warning", timeout=4)
        return None

    # --- actions --------------------------------------------------------------

    def action_rate(self, rating: int) -> None:
        topic = self.selected_topic()
        if topic is not None:
            self.rate(topic, rating)

    def rate(self, topic: TopicRow, rating: int) -> None:
        def write(session, learner):
            from tracker.models import Goal
            from tracker.services import confidence

            goal = session.get(Goal, topic.goal_id)
            exam = self.ctx.catalog.exam(goal.exam_code)
            return confidence.rate(session, learner, goal, exam, topic.name, rating)

        def done(saved) -> None:
            self.app.notify(f"{saved.topic}: confidence {saved.rating}/5", timeout=3, markup=False)
            self.app.data_changed()

        run_db(self, write, done, write=True)

    def action_confidence(self) -> None:
        from tracker.tui.screens.confidence import ConfidenceScreen

        topic = self.selected_topic()
        if topic is None:
            return

        def chosen(rating: int | None) -> None:
            if rating is not None:
                self.rate(topic, rating)

        self.app.push_screen(ConfidenceScreen(topic.goal_id, topic.name, topic.confidence), chosen)

    def action_notes(self) -> None:
        from tracker.tui.screens.notes_dialog import NotesScreen

        topic = self.selected_topic()
        if topic is not None:
            self.app.push_screen(NotesScreen(topic.goal_id, topic.name))

    def action_resources(self) -> None:
        from tracker.tui.screens.resources_dialog import ResourcesScreen

        topic = self.selected_topic()
        if topic is not None:
            self.app.push_screen(ResourcesScreen(topic.goal_id, topic.exam_code, topic.name))

    def action_add_resource(self) -> None:
        from tracker.tui.screens.resources_dialog import ResourceFormScreen

        topic = self.selected_topic()
        if topic is None:
            return

        def added(ok: bool | None) -> None:
            if ok:
                self.app.data_changed()

        self.app.push_screen(ResourceFormScreen(topic.goal_id, topic.exam_code, topic.name), added)
