package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/debrief-oss/debrief/web"
)

type serveCmd struct {
	Addr string `env:"DEBRIEF_ADDR" default:":8080" help:"Address to listen on."`
}

func (c *serveCmd) Run(e *env) error {
	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()

	srv, err := web.NewServer(store, e.logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	e.logger.Info("debrief serving", "addr", ln.Addr().String(), "version", version())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-e.ctx.Done():
	}
	e.logger.Info("debrief shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
