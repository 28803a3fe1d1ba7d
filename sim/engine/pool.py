"""A pool of servers whose number can change at any time, with FIFO and priority queues.

SimPy's Resource has no capacity setter, so staffing schedules and kiosk breakdowns use
this instead.  Lowering the capacity never interrupts service: a server above the new
capacity leaves when its current customer is done (the customer is not handed over).
Raising it starts waiting customers at once.  Waiting customers hold a plain SimPy event
that succeeds when a server is theirs; abandoning marks the entry dead (lazy removal).
"""

from __future__ import annotations

from collections import deque
from typing import Callable

import simpy


class Ticket:
    """A place in the queue; ``event`` succeeds when service starts."""

    __slots__ = ("event", "alive")

    def __init__(self, event: simpy.Event) -> None:
        self.event, self.alive = event, True


class ServerPool:
    """The servers of one channel (tellers, kiosk machines, agents, or an online channel's
    concurrency cap), whose number can change at any time, with a priority queue served
    before a FIFO one.

    ``capacity`` is the servers available now, ``busy`` those serving, ``waiting`` the live
    tickets in the queues.  A customer first tries ``try_seize``; if no server is free,
    ``join`` gives a Ticket whose ``event`` succeeds when a server is theirs (``leave_queue``
    if their patience runs out first), and ``release`` ends a service.  ``set_capacity``
    follows a staffing schedule or a kiosk breakdown; lowering it never interrupts a
    service, so ``busy`` may exceed ``capacity`` until those customers are done.  A
    ``ChannelStats`` watches the pool through ``on_change`` for its time-weighted areas.

        >>> env = simpy.Environment()
        >>> pool = ServerPool(env, capacity=1)
        >>> pool.try_seize()            # True: the one server is now busy
        >>> ticket = pool.join()        # the next customer queues
        >>> pool.release()              # the server passes to them: ticket.event succeeds
    """

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self.env = env
        self.capacity = capacity
        self.busy = 0
        self.waiting = 0
        self._priority: deque[Ticket] = deque()
        self._normal: deque[Ticket] = deque()
        # called before every change of busy, waiting or capacity (time-weighted statistics)
        self._on_change: Callable[[], None] = lambda: None

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` just before busy, waiting or capacity changes."""
        self._on_change = callback

    def try_seize(self) -> bool:
        """Take a free server now if there is one and nobody is waiting."""
        if self.busy < self.capacity and self.waiting == 0:
            self._on_change()
            self.busy += 1
            return True
        return False

    def join(self, priority: bool = False) -> Ticket:
        """Queue for a server (``priority``: in the queue served first, for the channel's
        ``priority_segments``); yield the ticket's ``event``, which succeeds when service
        starts.  Call it only after ``try_seize`` failed: joining does not look for a free
        server, so a ticket taken beside one waits for the next release or capacity change."""
        self._on_change()
        ticket = Ticket(simpy.Event(self.env))
        (self._priority if priority else self._normal).append(ticket)
        self.waiting += 1
        return ticket

    def leave_queue(self, ticket: Ticket) -> None:
        """An abandonment: the ticket is skipped when its turn comes."""
        self._on_change()
        ticket.alive = False
        self.waiting -= 1

    def release(self) -> None:
        """A service ends: the server takes the next live ticket (priority queue first), or
        leaves if the capacity fell below the servers busy."""
        self._on_change()
        self.busy -= 1
        self._dispatch()

    def set_capacity(self, capacity: int) -> None:
        """Servers available from now on (a schedule's next slot, a machine down or
        repaired): a rise starts waiting customers at once; a fall takes servers away only
        as they finish their customers."""
        self._on_change()
        self.capacity = capacity
        self._dispatch()

    def _dispatch(self) -> None:
        while self.busy < self.capacity and self.waiting:
            queue = self._priority if self._priority else self._normal
            ticket = queue.popleft()
            if not ticket.alive:
                continue
            self.busy += 1
            self.waiting -= 1
            ticket.event.succeed()
