package dev.eventide.net;

/**
 * The two halves of a split stream ({@link TcpStream#split()}, {@link UnixStream#split()}): one
 * task may read from {@code reader} while another writes to {@code writer}. The connection is
 * closed when both halves are closed.
 *
 * @param reader the read half
 * @param writer the write half
 */
public record StreamHalves(ReadHalf reader, WriteHalf writer) {
}
