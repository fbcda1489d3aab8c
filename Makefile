# mkos — the two commands are `make demo` and `make test`; only Go is needed.
GO      ?= go
BIN     := bin/mkos
# VETFLAGS: wazero's file interfaces (user/wasi) have Seek and friends
# returning its own errno type, which vet's stdmethods check would flag.
VETFLAGS := -stdmethods=false
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)

.PHONY: all build demo wasm test lint cross wasmtest node redis redistest bench clean crashmonkey faults faults-million fuzz e2e e2e-tools screenshots playground

all: build

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/mkos

# wasm builds the WebAssembly programs of user/wasm with Go's own wasip1
# port into bin/wasm; mkos runs them as processes (docs/programs.md).
WASM_PROGS := hello wc
wasm:
	@mkdir -p bin/wasm
	@for p in $(WASM_PROGS); do GOOS=wasip1 GOARCH=wasm $(GO) build -o bin/wasm/$$p.wasm ./user/wasm/$$p || exit 1; done
	@ls -l bin/wasm

# demo boots the same system three ways and crashes the echo server in each:
# micro and hybrid restart it and carry on, mono halts with a kernel panic;
# then it runs shell commands, crashes the file server under them, and
# measures the cost of isolation.
demo: build wasm
	@echo "== micro: every server in its own task; echo crashes at round 5 and is restarted"
	./$(BIN) run --mode micro --crash-at 5
	@echo
	@echo "== hybrid: null in the kernel, echo in user space; the same crash is survived"
	./$(BIN) run --mode hybrid --crash-at 5
	@echo
	@echo "== mono: every server in the kernel; the same crash is a kernel panic"
	./$(BIN) run --mode mono --crash-at 5 || echo "(mkos exited with status $$?: the whole system stopped, as a monolithic kernel does)"
	@echo
	@echo "== an operating system: shell commands on the file server; fs crashes and rs restarts it; the same commands still work"
	./$(BIN) run -c 'mkdir /d; echo hello > /d/f; cat /d/f; ls -l /d; crash fs; cat /d/f; echo again >> /d/f; cat /d/f; svc log; ps'
	@echo
	@echo "== real software: Go programs compiled to WebAssembly (GOOS=wasip1), copied into a disk image and run by pm like any program"
	rm -f bin/demo.img
	./$(BIN) mkfs bin/demo.img --size 32MiB
	./$(BIN) cp bin/wasm/hello.wasm bin/demo.img:/bin/hello
	./$(BIN) cp bin/wasm/wc.wasm bin/demo.img:/bin/wcw
	./$(BIN) run --disk bin/demo.img -c 'hello from the demo; ls /bin | wcw -l; time wcw /etc/motd; cat /etc/motd | wcw -w'
	@echo
	@echo "== process isolation: every user-space server (pm too) is a sandboxed host process (ps -e: process:PID); fs and pm are killed with SIGKILL and disk overflows its stack, all survived"
	@if [ "$$($(GO) env GOOS)" = linux ]; then \
		./$(BIN) run --isolation process --host-fault fs:kill9,disk:stackoverflow,pm:kill9 -c 'mkdir /d; echo hello > /d/f; cat /d/f; echo again >> /d/f; cat /d/f; ps -e; svc log'; \
	else echo "(process isolation is Linux-only: not on $$($(GO) env GOOS))"; fi
	@echo
	@echo "== a network: two machines, each its own kernel, net server (gVisor's netstack) and NIC driver, on one simulated wire; host2 serves files over HTTP, host1 fetches one and pings; every frame goes to a pcap"
	./$(BIN) run --hosts 2 --pcap bin/wire.pcap -c 'on 2 httpd &; sleep 1; wget -O - http://host2/etc/motd; ping -c 2 host2'
	./$(BIN) pcapstat bin/wire.pcap
	@echo
	@echo "== a cluster: three nodes share one service bus over an embedded NATS server; the clients on node a call null at home and echo on node b, through the gateways (the services table says remote)"
	./$(BIN) run --nodes 3 --config docs/examples/cluster.yaml
	@echo
	@echo "== the cost of isolation: a null system call in each mode (host time and l4 virtual time)"
	./$(BIN) bench --workload null --modes micro,mono,hybrid

# test checks formatting, vets and builds for every platform mkos runs on,
# runs every test (with the race detector), then runs the kernel, ipc,
# sched and tests packages again as js/wasm under Node — the browser's
# Go — where tests/sameanswers_test.go also ran the same seeded workloads
# natively and under Node and found the same bytes; then the live views
# end to end in tmux and headless Chromium (e2e, about a minute); the
# data store's Redis backend runs against a real redis-server (redistest).
test: lint cross node redis
	$(GO) test -race -count=1 ./...
	$(MAKE) wasmtest
	$(MAKE) redistest
	$(MAKE) e2e

lint:
	@fmt_out="$$(gofmt -l .)"; if [ -n "$$fmt_out" ]; then echo "gofmt needed:"; echo "$$fmt_out"; exit 1; fi
	$(GO) vet $(VETFLAGS) ./...

# playground writes a static site to bin/playground: the page of mkos web
# with mkos itself, built for js/wasm, running in the tab behind it (Go's
# own wasm_exec.js loads it). Serve the folder with any static server.
PLAYGROUND := bin/playground
playground:
	mkdir -p $(PLAYGROUND)
	GOOS=js GOARCH=wasm $(GO) build -o $(PLAYGROUND)/mkos.wasm ./cmd/mkos
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(PLAYGROUND)/
	cp live/web/assets/app.js live/web/assets/app.css live/web/playground/playground.js $(PLAYGROUND)/
	sed 's#<script src="app.js"></script>#<script src="wasm_exec.js"></script><script src="playground.js"></script>#' \
		live/web/assets/index.html > $(PLAYGROUND)/index.html
	@ls -l $(PLAYGROUND)/mkos.wasm

# PLATFORMS are the GOOS/GOARCH pairs mkos builds and vets for. Process
# placement (and its seccomp sandbox) is Linux's; the file store (bbolt)
# is absent in js/wasm.
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 js/wasm
cross:
	@set -e; for p in $(PLATFORMS); do \
		echo "== vet and build $$p"; \
		GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) vet $(VETFLAGS) ./...; \
		GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) build -o /dev/null ./cmd/mkos; \
	done

# wasmtest runs these packages' tests as js/wasm under Node, with Go's own
# go_js_wasm_exec.
WASM_PKGS := ./kernel ./ipc/... ./sched ./tests
WASM_EXEC = $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec
wasmtest: node
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec=$(WASM_EXEC) $(WASM_PKGS)

# node installs Node from the distribution's packages when it is missing
# (Debian and Ubuntu; elsewhere install it yourself).
node:
	@command -v node >/dev/null || { echo "== installing Node (nodejs)"; apt-get update -qq && apt-get install -y -qq nodejs; }

# redistest runs the data store's Redis backend against a real
# redis-server, which the test starts on a free loopback port in a
# temporary directory and stops (boot/datastore_redis_test.go, behind the
# redisserver build tag; go test ./... covers the backend on miniredis).
redistest: redis
	$(GO) test -tags redisserver -count=1 -run RealRedis ./boot

# redis installs redis-server from the distribution's packages when it is
# missing (Debian and Ubuntu; elsewhere install it yourself).
redis:
	@command -v redis-server >/dev/null || { echo "== installing Redis (redis-server)"; apt-get update -qq && apt-get install -y -qq redis-server; }

# e2e runs the live views end to end: mkos top and mkos shell --top in
# tmux, mkos web and the playground (mkos built for js/wasm, its console
# running the labs' mkos sched) in headless Chromium, both installed from
# the distribution's packages when missing (Debian and Ubuntu; elsewhere
# install them yourself). The tests are behind the e2e build tag, so that
# go test ./... needs only Go; their screenshots are kept under
# bin/e2e (go test -artifacts). make screenshots writes them to docs/img
# too, for the README.
E2E_OUT := $(CURDIR)/bin/e2e
e2e: e2e-tools
	rm -rf $(E2E_OUT) && mkdir -p $(E2E_OUT)
	$(GO) test -tags e2e -count=1 -run 'Tmux|Browser' -artifacts -outputdir $(E2E_OUT) ./cmd/mkos
	@echo "screenshots: $$(find $(E2E_OUT) -name '*.png' | sort | tr '\n' ' ')"

screenshots: e2e-tools
	MKOS_SCREENSHOTS=$(CURDIR)/docs/img $(GO) test -tags e2e -count=1 -run 'Tmux|Browser' ./cmd/mkos

e2e-tools:
	@command -v tmux >/dev/null || { echo "== installing tmux"; apt-get update -qq && apt-get install -y -qq tmux; }
	@command -v chromium >/dev/null || { echo "== installing chromium"; apt-get update -qq && apt-get install -y -qq chromium; }

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./kernel ./bench

clean:
	rm -rf bin

# crashmonkey crashes every file-system workload of up to 3 operations at
# every disk write (minutes); make test runs a bounded subset.
crashmonkey:
	$(GO) test -count=1 -timeout 30m ./servers/fs -run CrashConsistency -crashmonkey.full -v | grep -E 'crash points|FAIL|ok'

# faults runs the fault-injection campaigns (a few minutes on 2 cores):
# 200,000 crashes, hangs and slow replies in micro mode, the same faults in
# hybrid (user-space servers survive them, kernel-placed ones halt the
# system) and in mono (every crash or hang halts it, as expected there),
# then 2,000 real host faults (SIGKILL, exit, stack overflow, out of
# memory, ...) in fs, disk and mm placed as host processes (Linux), then
# 20,000 garbage replies, which the client stubs check: no kernel
# panic, fsck clean, no fsync'ed byte lost, every errno a program sees
# documented for its protocol, no program dead in a stub (a program
# killed by SIGSEGV for a garbage address it was given is counted, not a
# violation); then 10,000 faults of every kind in the net server under
# TCP transfers (each intact at both ends, or an errno or its program's
# timeout). It fails when an invariant breaks, after printing the
# command that replays the run.
faults: build
	@status=0; \
	./$(BIN) faults --mode micro --workload mixed --count 200000 --per-run 50 --kinds crash,hang,slow --seed 1 --show 5 || status=1; echo; \
	./$(BIN) faults --mode hybrid --workload mixed --count 20000 --per-run 20 --kinds crash,hang,slow --seed 1 --show 5 || status=1; echo; \
	./$(BIN) faults --mode mono --workload mixed --count 1000 --per-run 1 --kinds crash,hang,slow --seed 1 --show 5 || status=1; echo; \
	./$(BIN) faults --mode micro --isolation process --workload mixed --targets fs,disk,mm --count 2000 --per-run 20 --kinds kill9,exit,panic,stackoverflow,oom,mapwrite,goroutinepanic,syscall,spin --seed 1 --show 5 || status=1; echo; \
	./$(BIN) faults --mode micro --workload mixed --count 20000 --per-run 20 --kinds garbage --seed 1 --show 3 || status=1; echo; \
	./$(BIN) faults --mode micro --workload tcp --count 10000 --per-run 50 --seed 1 --show 5 || status=1; \
	exit $$status

# faults-million shards a campaign of 1,000,000 faults (the four kinds,
# into fs and disk, under the fileio workload) over 2 workers in this
# process through an embedded NATS server (docs/cluster.md, "Sharded
# campaigns"); the report is the one the campaign gives unsharded.
faults-million: build
	./$(BIN) faults --mode micro --workload fileio --count 1000000 --workers 2 --seed 1 --show 5

# fuzz runs every fuzz target for FUZZTIME each (20s: about 8 minutes in
# all): each server's handler placed in a booted mono system
# (FuzzHandler), each protocol's client stubs against a server answering
# garbage (FuzzClient), a device model under a hostile driver
# (FuzzDevice), every system call (FuzzSyscalls) and the on-disk decoder
# (FuzzCorruptImage). make test runs their seed corpora.
FUZZTIME ?= 20s
FUZZ_HANDLERS := ./servers/fs ./servers/pm ./servers/mm ./servers/ds ./servers/rs ./servers/pipe ./servers/net ./servers/echo ./servers/null ./drivers/disk ./drivers/nic ./drivers/tty ./drivers/memdev ./servers/worker ./servers/autoscale ./servers/gateway ./boot
FUZZ_DEVICES  := ./drivers/nic/hw
FUZZ_CLIENTS  := ./ipc/fsproto ./ipc/pmproto ./ipc/mmproto ./ipc/dsproto ./ipc/rsproto ./ipc/diskproto ./ipc/nicproto ./ipc/netproto ./ipc/streamproto ./ipc/echoproto
fuzz:
	@set -e; \
	for p in $(FUZZ_HANDLERS); do echo "== FuzzHandler $$p"; $(GO) test $$p -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(FUZZTIME); done; \
	for p in $(FUZZ_CLIENTS); do echo "== FuzzClient $$p"; $(GO) test $$p -run '^$$' -fuzz '^FuzzClient$$' -fuzztime $(FUZZTIME); done; \
	for p in $(FUZZ_DEVICES); do echo "== FuzzDevice $$p"; $(GO) test $$p -run '^$$' -fuzz '^FuzzDevice$$' -fuzztime $(FUZZTIME); done; \
	echo "== FuzzSyscalls ./kernel"; $(GO) test ./kernel -run '^$$' -fuzz '^FuzzSyscalls$$' -fuzztime $(FUZZTIME); \
	echo "== FuzzCorruptImage ./servers/fs"; $(GO) test ./servers/fs -run '^$$' -fuzz '^FuzzCorruptImage$$' -fuzztime $(FUZZTIME); \
	echo "== FuzzRestore ./tests"; $(GO) test ./tests -run '^$$' -fuzz '^FuzzRestore$$' -fuzztime $(FUZZTIME); \
	echo "== FuzzInject ./internal/netstack"; $(GO) test ./internal/netstack -run '^$$' -fuzz '^FuzzInject$$' -fuzztime $(FUZZTIME); \
	echo "== FuzzDecode ./ipc/gatewayproto"; $(GO) test ./ipc/gatewayproto -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME); \
	echo "== FuzzDecode ./faults/shard"; $(GO) test ./faults/shard -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)
