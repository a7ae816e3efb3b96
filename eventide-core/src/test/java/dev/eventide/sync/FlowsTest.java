package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlowsTest {

    /** A publisher driven by hand: records demand and cancellation. */
    static final class ManualPublisher<T> implements Flow.Publisher<T> {
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        Flow.Subscriber<? super T> subscriber;

        @Override
        public void subscribe(Flow.Subscriber<? super T> s) {
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requested.addAndGet(n);
                }

                @Override
                public void cancel() {
                    cancelled.set(true);
                }
            });
        }
    }

    /** A stream of 1..n that yields between elements; records whether it was closed. */
    static final class CountingStream implements AsyncStream<Integer> {
        private final int n;
        private int next = 1;
        final AtomicBoolean closed = new AtomicBoolean();

        CountingStream(int n) {
            this.n = n;
        }

        @Override
        public Future<Integer> next() {
            Future<Void> yield = Eventide.yieldNow();
            return cx -> {
                if (yield.poll(cx).isPending()) {
                    return Poll.pending();
                }
                return Poll.ready(next <= n ? next++ : null);
            };
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** A subscriber that requests {@code step} at a time and checks the demand rule. */
    static final class StepSubscriber implements Flow.Subscriber<Integer> {
        final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicLong outstanding = new AtomicLong();
        final AtomicBoolean overflow = new AtomicBoolean();
        private final long step;
        private final int cancelAfter;
        Flow.Subscription subscription;

        StepSubscriber(long step, int cancelAfter) {
            this.step = step;
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            outstanding.addAndGet(step);
            s.request(step);
        }

        @Override
        public void onNext(Integer item) {
            received.add(item);
            if (outstanding.decrementAndGet() < 0) {
                overflow.set(true);
            }
            if (received.size() == cancelAfter) {
                subscription.cancel();
                done.countDown();
                return;
            }
            if (outstanding.get() == 0) {
                outstanding.addAndGet(step);
                subscription.request(step);
            }
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }
    }

    @Test
    void aPublisherBecomesAStreamInOrder() {
        List<Integer> got = Eventide.run(() -> {
            SubmissionPublisher<Integer> pub = new SubmissionPublisher<>();
            AsyncStream<Integer> stream = Flows.fromPublisher(pub, 16);
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    pub.submit(i);
                }
                pub.close();
            });
            List<Integer> out = new ArrayList<>();
            try (stream) {
                for (Integer v; (v = stream.next().await()) != null; ) {
                    out.add(v);
                }
            }
            producer.join();
            return out;
        });
        assertThat(got).hasSize(1_000);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
    }

    @Test
    void demandIsBoundedByTheBatchAndRefilledInHalves() {
        ManualPublisher<Integer> pub = new ManualPublisher<>();
        AsyncStream<Integer> stream = Flows.fromPublisher(pub, 8);
        assertThat(pub.requested.get()).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            pub.subscriber.onNext(i);
        }
        CountingWaker w = new CountingWaker();
        for (int i = 0; i < 3; i++) {
            assertThat(w.poll(stream.next()).value()).isEqualTo(i);
        }
        assertThat(pub.requested.get()).as("no refill before half the batch is consumed").isEqualTo(8);
        assertThat(w.poll(stream.next()).value()).isEqualTo(3);
        assertThat(pub.requested.get()).isEqualTo(12);
        stream.close();
        assertThat(pub.cancelled.get()).isTrue();
        assertThat(w.poll(stream.next()).value()).as("a closed stream has ended").isNull();
    }

    @Test
    void aCancelledNextLosesNoElementAndErrorsComeAfterTheElements() {
        ManualPublisher<String> pub = new ManualPublisher<>();
        AsyncStream<String> stream = Flows.fromPublisher(pub);
        CountingWaker w = new CountingWaker();
        Future<String> first = stream.next();
        assertThat(w.poll(first).isPending()).isTrue();
        first.cancel();
        pub.subscriber.onNext("a");
        assertThat(w.wakes()).isEqualTo(1);
        pub.subscriber.onError(new IllegalStateException("source failed"));
        assertThat(w.poll(stream.next()).value()).isEqualTo("a");
        assertThatThrownBy(() -> w.poll(stream.next())).hasMessage("source failed");
        assertThatThrownBy(() -> Flows.fromPublisher(pub, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch");
    }

    @Test
    void aStreamBecomesAPublisherThatHonoursDemand() throws InterruptedException {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            CountingStream source = new CountingStream(300);
            StepSubscriber sub = new StepSubscriber(3, -1);
            Flows.toPublisher(rt.handle(), source).subscribe(sub);
            assertThat(sub.done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sub.error.get()).isNull();
            assertThat(sub.overflow.get()).as("never more onNext than requested").isFalse();
            assertThat(sub.received).hasSize(300).startsWith(1, 2, 3).endsWith(300);
            assertThat(source.closed.get()).isTrue();
        }
    }

    @Test
    void cancellingTheSubscriptionClosesTheStream() throws InterruptedException {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            CountingStream source = new CountingStream(Integer.MAX_VALUE);
            StepSubscriber sub = new StepSubscriber(2, 10);
            Flows.toPublisher(rt.handle(), source).subscribe(sub);
            assertThat(sub.done.await(10, TimeUnit.SECONDS)).isTrue();
            rt.blockOn(() -> {
                while (!source.closed.get()) {
                    Eventide.yieldNow().await();
                }
            });
            assertThat(sub.received).hasSize(10);
        }
    }

    @Test
    void illegalRequestsAndSecondSubscribersGetErrors() throws InterruptedException {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            Flow.Publisher<Integer> pub = Flows.toPublisher(rt.handle(), new CountingStream(5));
            StepSubscriber bad = new StepSubscriber(0, -1);
            pub.subscribe(bad);
            assertThat(bad.done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(bad.error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
            StepSubscriber second = new StepSubscriber(1, -1);
            pub.subscribe(second);
            assertThat(second.done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(second.error.get()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void roundTripThroughAPublisher() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            List<Integer> got = rt.blockOn(() -> {
                AsyncStream<Integer> back = Flows.fromPublisher(Flows.toPublisher(rt.handle(), new CountingStream(500)), 7);
                List<Integer> out = new ArrayList<>();
                for (Integer v; (v = back.next().await()) != null; ) {
                    out.add(v);
                }
                return out;
            });
            assertThat(got).hasSize(500).startsWith(1).endsWith(500).isSorted();
        }
    }
}
