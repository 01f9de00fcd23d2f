"""Ordinary fits, run side by side so that their training can be fused.

A ``FusedSession`` runs a list of fit calls (``est.fit(X, y)``, each unchanged:
validation, target encoding, network building, callbacks, attributes, warnings),
each in a thread of its own, one at a time. When a fit reaches the training loop
(``_training.fit_arrays``) it hands its request to the session and waits; once
every fit is waiting or done, the session trains the waiting networks, those of
one shape together (``_fused.fit_fused``), the others one by one, and hands each
fit its History (or its exception) back (``_fused_prefit.train_requests``). The fits then finish, again one at a
time. So a fused fit runs exactly the code of a standalone one except the epoch
loop, and nothing runs concurrently: the threads only hold each fit's place.

Process-wide state is left to the session: within it, fits do not seed the global
generators around their training (``in_session``), the session seeds them around
each network it trains alone, as the fit would have.
"""

from __future__ import annotations

import threading

# thread ident -> the session whose fit runs in that thread
_SESSIONS: dict = {}


def current_session():
    """The session the calling thread's fit belongs to, or None."""
    return _SESSIONS.get(threading.get_ident())


def in_session() -> bool:
    return threading.get_ident() in _SESSIONS


class _Slot:
    def __init__(self):
        self.state = "running"  # running -> waiting -> running ... -> done
        self.request = None
        self.reply = None


class FusedSession:
    """Run fit calls so that their networks train together (see the module doc)."""

    def __init__(self, train):
        self._train = train  # requests -> a History or an exception for each
        self._cond = threading.Condition()
        self._slots: dict = {}

    # ----------------------------------------------------------- fit's side
    def submit(self, request):
        """Called from a fit's thread: wait for the network's training, return its
        History (or raise the exception its training raised)."""
        slot = self._slots[threading.get_ident()]
        with self._cond:
            slot.request, slot.reply, slot.state = request, None, "waiting"
            self._cond.notify_all()
            self._cond.wait_for(lambda: slot.state == "running")
        reply, slot.reply = slot.reply, None
        if isinstance(reply, BaseException):
            raise reply
        return reply

    # ------------------------------------------------------ the caller's side
    def run(self, tasks) -> list:
        """Run the callables ``tasks``; return ``(result, None)`` or ``(None, exc)``
        for each, in order."""
        results = [None] * len(tasks)
        threads = []
        for i, task in enumerate(tasks):
            slot = _Slot()
            thread = threading.Thread(
                target=self._work, args=(i, task, slot, results), daemon=True
            )
            threads.append((thread, slot))
            thread.start()
            self._wait_idle(slot)
        while True:
            waiting = [slot for _, slot in threads if slot.state == "waiting"]
            if not waiting:
                break
            replies = self._train([slot.request for slot in waiting])
            for slot, reply in zip(waiting, replies, strict=True):
                with self._cond:
                    slot.request, slot.reply, slot.state = None, reply, "running"
                    self._cond.notify_all()
                self._wait_idle(slot)
        for thread, _ in threads:
            thread.join()
        return results

    def _wait_idle(self, slot) -> None:
        with self._cond:
            self._cond.wait_for(lambda: slot.state != "running")

    def _work(self, i, task, slot, results) -> None:
        ident = threading.get_ident()
        self._slots[ident] = slot
        _SESSIONS[ident] = self
        try:
            results[i] = (task(), None)
        except BaseException as exc:  # handed to the caller, as a fit would raise it
            results[i] = (None, exc)
        finally:
            _SESSIONS.pop(ident, None)
            self._slots.pop(ident, None)
            with self._cond:
                slot.state = "done"
                self._cond.notify_all()
