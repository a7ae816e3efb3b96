/**
 * Internals of the runtime's timers (DESIGN §6): the {@link dev.eventide.runtime.time.Clock}
 * (real or paused), the hierarchical {@link dev.eventide.runtime.time.Wheel timing wheel}, the
 * {@link dev.eventide.runtime.time.TimerEntry} every timer future extends, and the
 * {@link dev.eventide.runtime.time.TimeDriver} that registers, cancels and fires them. The
 * public face is {@code dev.eventide.time}. Not exported.
 */
package dev.eventide.runtime.time;
