/**
 * Non-blocking sockets driven by the runtime's reactor (DESIGN §7): {@link dev.eventide.net.TcpListener},
 * {@link dev.eventide.net.TcpStream} (with {@link dev.eventide.net.ReadHalf} and
 * {@link dev.eventide.net.WriteHalf} after a split), {@link dev.eventide.net.UdpSocket},
 * {@link dev.eventide.net.UnixListener} and {@link dev.eventide.net.UnixStream}.
 *
 * <p>Common rules:
 * <ul>
 *   <li>A socket belongs to the runtime of the thread that creates it (created off-runtime:
 *       {@link java.lang.IllegalStateException}); closing the runtime closes it.</li>
 *   <li>Operations return futures; each tries the system call at once and waits for the reactor
 *       only if it would block, reading into and writing from the caller's buffer directly.</li>
 *   <li>I/O errors reach the task that made the call, and no other, as
 *       {@link java.io.UncheckedIOException}s whose cause is the JDK's exception
 *       ({@code ConnectException}, {@code BindException}, {@code SocketException} for a reset,
 *       {@code ClosedChannelException}, {@code EOFException} from {@code readExact}) and whose
 *       message names the address.</li>
 *   <li>Cancelling an operation (an abort, a timeout, a select loser) takes its waker back; a
 *       cancelled read, receive or accept loses nothing, a cancelled connect closes its socket.</li>
 *   <li>One task at a time may read, and one may write, a given socket.</li>
 * </ul>
 */
package dev.eventide.net;
