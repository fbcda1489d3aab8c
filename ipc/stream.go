package ipc

// Stream is the client's end of a request/stream (see bus.go): open it,
// call the service with its Id, then Recv frames and Grant credit.
type Stream struct {
	sys Sys
	// ID is the stream's id, to send to the server in the Call.
	ID StreamID
}

// OpenStream opens a stream with credits frames of credit.
func OpenStream(sys Sys, credits int) (Stream, error) {
	r := BusRequest{Op: StreamOpen, Credits: credits}
	err := sys.Bus(&r)
	return Stream{sys: sys, ID: r.Stream}, err
}

// Recv takes the next frame into m, blocking until there is one. At the
// end frame it returns end true with the server's errno as err (nil for a
// clean end).
func (s Stream) Recv(m *Message) (end bool, err error) {
	r := BusRequest{Op: StreamRecv, Stream: s.ID, Wait: true}
	if err := s.sys.Bus(&r); err != nil {
		return false, err
	}
	*m = r.Msg
	if r.End && r.Errno != 0 {
		return true, r.Errno
	}
	return r.End, nil
}

// Grant gives the server n more frames of credit.
func (s Stream) Grant(n int) error {
	return s.sys.Bus(&BusRequest{Op: StreamGrant, Stream: s.ID, Credits: n})
}

// Cancel cancels the stream.
func (s Stream) Cancel() error {
	return s.sys.Bus(&BusRequest{Op: StreamCancel, Stream: s.ID})
}

// StreamServer is the server's end of a stream it accepted.
type StreamServer struct {
	sys Sys
	ID  StreamID
}

// AcceptStream makes the caller the server of stream id; it must be
// serving a Call from the stream's client.
func AcceptStream(sys Sys, id StreamID) (StreamServer, error) {
	err := sys.Bus(&BusRequest{Op: StreamAccept, Stream: id})
	return StreamServer{sys: sys, ID: id}, err
}

// Emit sends m as a frame. With wait it blocks until the client grants
// credit; without, it fails with EAGAIN when there is none (the client's
// grant then notifies the server: NotifyBus).
func (s StreamServer) Emit(m *Message, wait bool) error {
	return s.sys.Bus(&BusRequest{Op: StreamEmit, Stream: s.ID, Msg: *m, Wait: wait})
}

// End ends the stream: with e 0 an end frame, otherwise an error frame.
func (s StreamServer) End(e Errno) error {
	return s.sys.Bus(&BusRequest{Op: StreamEnd, Stream: s.ID, Errno: e})
}

// Cancel cancels the stream from the server's side.
func (s StreamServer) Cancel() error {
	return s.sys.Bus(&BusRequest{Op: StreamCancel, Stream: s.ID})
}

// On returns the stream's server end making its calls with sys: a server
// placed in the kernel emits from whichever trap or kernel thread runs
// it, not from the one that accepted.
func (s StreamServer) On(sys Sys) StreamServer { return StreamServer{sys: sys, ID: s.ID} }
