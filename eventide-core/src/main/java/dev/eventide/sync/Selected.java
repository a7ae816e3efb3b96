package dev.eventide.sync;

/**
 * The outcome of a {@link Select}: which future completed first ({@code index}, its position in
 * the arguments) and its value.
 *
 * @param index the position of the winning future
 * @param value the winner's value (may be null)
 * @param <T> the type of the value
 */
public record Selected<T>(int index, T value) {
}
