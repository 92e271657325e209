import Foundation

/// Playback with decode-ahead: a `VideoDecoder` on its own thread keeps a small bounded queue
/// of the next frames full, so showing a frame costs a queue pop while the next ones decode.
///
/// The decoder belongs to the worker thread alone; the caller only touches the queue, under
/// one lock. `start(at:scale:)` repositions (frame-exact, like `VideoDecoder.frame(at:)`)
/// and throws away whatever was queued.
public final class DecodeAhead: @unchecked Sendable {
    public let path: String
    public let frameCount: Int
    public let frameTimes: [Double]
    public let capacity: Int
    private let state: State

    /// Opens the clip (errors as `VideoDecoder.init`) and starts decoding from frame 0.
    public init(path: String, capacity: Int = 8, scale: FrameScale = .native) throws {
        let decoder = try VideoDecoder(path: path)
        self.path = path
        self.frameCount = decoder.frameCount
        self.frameTimes = decoder.frameTimes
        self.capacity = max(1, capacity)
        state = State(decoder: decoder, capacity: self.capacity, scale: scale)
        let state = self.state
        let thread = Thread { state.run() }
        thread.name = "concord.decode-ahead"
        thread.start()
    }

    deinit {
        state.stop()
    }

    /// Continue from frame `index` (0-based, display order) at `scale`.
    public func start(at index: Int, scale: FrameScale) {
        state.reposition(index: index, scale: scale)
    }

    /// The next frame in display order, waiting for the worker if the queue is empty; nil
    /// after the last frame. A decoding error is thrown once, in its place in the order.
    public func next() throws -> DecodedFrame? {
        try state.take()
    }

    /// Frames decoded and waiting (for tests and the status line).
    public var queued: Int { state.queuedCount }

    final class State: @unchecked Sendable {
        private let decoder: VideoDecoder
        private let capacity: Int
        private let condition = NSCondition()
        // Guarded by `condition`.
        private var queue: [Result<DecodedFrame, Error>] = []
        private var scale: FrameScale
        private var pending: Int? = 0          // a reposition the worker has not started
        private var atEnd = false              // the worker delivered the last frame
        private var generation = 0             // bumped by every reposition
        private var stopping = false

        init(decoder: VideoDecoder, capacity: Int, scale: FrameScale) {
            self.decoder = decoder
            self.capacity = capacity
            self.scale = scale
        }

        var queuedCount: Int {
            condition.lock()
            defer { condition.unlock() }
            return queue.count
        }

        func stop() {
            condition.lock()
            stopping = true
            condition.broadcast()
            condition.unlock()
        }

        func reposition(index: Int, scale: FrameScale) {
            condition.lock()
            pending = index
            self.scale = scale
            queue.removeAll()
            atEnd = false
            generation += 1
            condition.broadcast()
            condition.unlock()
        }

        func take() throws -> DecodedFrame? {
            condition.lock()
            defer { condition.unlock() }
            while queue.isEmpty && !(atEnd && pending == nil) && !stopping {
                condition.wait()
            }
            guard !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            condition.broadcast()   // room for the worker
            return try first.get()
        }

        /// The worker: fills the queue up to its capacity, sleeps when it is full or the clip
        /// has ended, wakes on a take, a reposition or stop.
        func run() {
            condition.lock()
            while true {
                while !stopping && pending == nil && (atEnd || queue.count >= capacity) {
                    condition.wait()
                }
                if stopping { break }
                let start = pending
                pending = nil
                let scale = self.scale
                let generation = self.generation
                condition.unlock()

                let result: Result<DecodedFrame?, Error>
                do {
                    if let start {
                        result = .success(try decoder.frame(at: start, scale: scale))
                    } else {
                        result = .success(try decoder.nextFrame(scale: scale))
                    }
                } catch {
                    result = .failure(error)
                }

                condition.lock()
                guard generation == self.generation else { continue }   // repositioned meanwhile
                switch result {
                case .success(let frame?): queue.append(.success(frame))
                case .success(nil): atEnd = true
                case .failure(let error):
                    queue.append(.failure(error))
                    atEnd = true
                }
                condition.broadcast()
            }
            condition.unlock()
        }
    }
}
