package scaler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/prescale-dev/prescale/pkg/store"
)

// Compaction thresholds: the store file is rewritten when at least
// compactMinFree bytes and compactFreeShare of it are free pages.
const (
	compactMinFree   = 64 << 20
	compactFreeShare = 0.25
)

// budgetTarget is the share of the size budget a sweep over it brings the
// store down to, so that it is not over again at the next write.
const budgetTarget = 0.9

// StoreSweep says what one sweep of the store did.
type StoreSweep struct {
	// Orphans are the keys deleted because no trigger had used them for
	// IdleAfter of the server's uptime.
	Orphans []string
	// Evicted are the keys of unused triggers deleted to meet the budget.
	Evicted []string
	// HistoryKept is the share of its history each trigger kept when the
	// budget forced histories shorter; zero when it did not.
	HistoryKept float64
	// Before and After are the file's usage before the sweep and after it
	// (after compaction, when Compacted).
	Before, After store.Usage
	// Compacted is true when the file was rewritten.
	Compacted bool
}

// KeepStore sweeps the store every StoreSweepInterval until ctx is done;
// see SweepStore. started is when the server started serving.
func (s *Server) KeepStore(ctx context.Context, started time.Time) {
	tick := time.NewTicker(s.opts.StoreSweepInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			sw, err := s.SweepStore(ctx, started)
			if err != nil {
				s.log.Warn("looking after the store", "error", err)
				continue
			}
			s.logSweep(sw)
		}
	}
}

// SweepStore deletes the keys no registered trigger has used for
// IdleAfter, brings the store under its size budget, and compacts the
// file when much of it is free. A key's time without a trigger runs from
// its last write or from started, whichever is later: after a restart,
// KEDA has IdleAfter to ask about a trigger again before its history is
// deleted, however long the scaler was down.
//
// Over the budget (StoreMaxBytes), keys no trigger uses are deleted, the
// least recently written first; if that is not enough, every trigger's
// history is cut to the share of store.retention that fits.
func (s *Server) SweepStore(ctx context.Context, started time.Time) (StoreSweep, error) {
	var sw StoreSweep
	infos, err := s.opts.Store.KeyInfos(ctx)
	if err != nil {
		return sw, err
	}
	if sw.Before, err = s.opts.Store.Usage(); err != nil {
		return sw, err
	}
	registered := s.registeredKeys()
	cutoff := s.opts.Now().Add(-s.opts.IdleAfter)
	var unused []store.KeyInfo
	for _, in := range infos {
		switch {
		case registered[in.Key]:
		case laterOf(in.Written, started).Before(cutoff):
			if s.deleteKey(in.Key) {
				sw.Orphans = append(sw.Orphans, in.Key)
			}
		default:
			unused = append(unused, in)
		}
	}
	if err := s.meetBudget(infos, unused, registered, &sw); err != nil {
		return sw, err
	}
	return sw, s.compactIfFree(ctx, &sw)
}

// meetBudget deletes unused keys, then trims histories, until the store's
// data is under the budget.
func (s *Server) meetBudget(infos, unused []store.KeyInfo, registered map[string]bool, sw *StoreSweep) error {
	target := int64(budgetTarget * float64(s.opts.StoreMaxBytes))
	u, err := s.opts.Store.Usage()
	if err != nil || u.UsedBytes() <= s.opts.StoreMaxBytes {
		return err
	}
	slices.SortFunc(unused, func(a, b store.KeyInfo) int { return a.Written.Compare(b.Written) })
	for _, in := range unused {
		if u.UsedBytes() <= target {
			return nil
		}
		if s.deleteKey(in.Key) {
			sw.Evicted = append(sw.Evicted, in.Key)
		}
		if u, err = s.opts.Store.Usage(); err != nil {
			return err
		}
	}
	if u.UsedBytes() <= target {
		return nil
	}
	return s.cutHistories(infos, registered, u, target, sw)
}

// cutHistories shortens the history of every registered trigger by the
// share that brings the store's data to target bytes.
func (s *Server) cutHistories(infos []store.KeyInfo, registered map[string]bool, u store.Usage, target int64, sw *StoreSweep) error {
	var held int64 // bytes of the registered triggers' records
	for _, in := range infos {
		if registered[in.Key] {
			held += in.Bytes
		}
	}
	other := u.UsedBytes() - held // pages and records that cutting cannot shrink
	if held == 0 || other >= target {
		return nil
	}
	share := float64(target-other) / float64(held)
	for _, in := range infos {
		if !registered[in.Key] || in.History == 0 {
			continue
		}
		err := s.opts.Store.TrimHistory(in.Key, time.Duration(share*float64(in.History)))
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("cutting history to the store budget: %w", err)
		}
	}
	sw.HistoryKept = share
	return nil
}

// compactIfFree compacts the store when enough of the file is free pages.
func (s *Server) compactIfFree(ctx context.Context, sw *StoreSweep) error {
	u, err := s.opts.Store.Usage()
	sw.After = u
	if err != nil || u.FreeBytes < s.compactMinFree || float64(u.FreeBytes) < compactFreeShare*float64(u.FileBytes) {
		return err
	}
	_, sw.After, err = s.opts.Store.Compact(ctx)
	sw.Compacted = err == nil
	return err
}

// logSweep reports a sweep that changed something.
func (s *Server) logSweep(sw StoreSweep) {
	if len(sw.Orphans) > 0 {
		s.log.Info("store: deleted the keys of triggers unused for idleAfter", "keys", len(sw.Orphans))
	}
	if len(sw.Evicted) > 0 || sw.HistoryKept > 0 {
		s.log.Warn("store over its budget (store.maxBytes): raise it, or lower store.retention or limits.maxTriggers",
			"budget", s.opts.StoreMaxBytes, "used", sw.Before.UsedBytes(), "unusedKeysDeleted", len(sw.Evicted),
			"historyKept", sw.HistoryKept)
	}
	if sw.Compacted {
		s.log.Info("store compacted", "fileBytesBefore", sw.Before.FileBytes, "fileBytesAfter", sw.After.FileBytes)
	}
}

// registeredKeys returns the store keys of the registered triggers.
func (s *Server) registeredKeys() map[string]bool {
	out := map[string]bool{}
	for _, t := range s.all() {
		out[t.key] = true
	}
	return out
}

// laterOf returns the later of two instants.
func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// isNotFound reports a store key that holds nothing.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
