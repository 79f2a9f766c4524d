using Microsoft.Extensions.Logging;

namespace SelfLearning.Training;

public sealed partial class TrainingJobEngine
{
    private async Task<TrainingJob> ChangeRunningStateAsync(string jobId, TrainingJobState target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        RunningJob? running;
        lock (_lock)
        {
            _running.TryGetValue(jobId, out running);
        }

        if (running is null)
        {
            var job = await _store.FindAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw UnknownJob(jobId);
            TrainingJobTransitions.EnsureAllowed(jobId, job.State, target);
            throw new InvalidOperationException(
                $"Training job '{jobId}' is {job.State} in engine '{job.LeaseOwner}', not in this one ('{InstanceId}').");
        }

        await running.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = running.Current;
            if (current is null || running.Done)
            {
                var job = await _store.FindAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw UnknownJob(jobId);
                TrainingJobTransitions.EnsureAllowed(jobId, job.State, target);
                throw new InvalidOperationException(
                    $"Training job '{jobId}' is {job.State}: it is being started or finished; try again.");
            }

            var next = current.TransitionTo(target, _time.GetUtcNow());
            var stored = await WriteAsync(running, next, target == TrainingJobState.Paused ? "paused on request" : "resumed on request")
                .ConfigureAwait(false) ?? throw new InvalidOperationException($"Training job '{jobId}' lost its lease to another engine.");
            if (target == TrainingJobState.Paused)
            {
                running.Gate.Pause();
            }
            else
            {
                running.Gate.Resume();
            }

            TrainingLog.JobPausedOrResumed(_logger, jobId, target);
            return stored;
        }
        finally
        {
            running.WriteLock.Release();
        }
    }

    private async Task ExecuteAsync(RunningJob running)
    {
        try
        {
            var job = await ClaimAsync(running).ConfigureAwait(false);
            if (job is null)
            {
                return;
            }

            TrainingLog.JobStarted(_logger, job.Id, job.ModelKey, job.Attempts);
            var meter = ResourceMeter.Start(_time);
            try
            {
                var result = await TrainAsync(running, job).ConfigureAwait(false);
                await CompleteAsync(running, result, meter).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (running.Token.IsCancellationRequested)
            {
                if (!running.LeaseLost)
                {
                    var (state, reason) = running.ShuttingDown
                        ? (TrainingJobState.Queued, "engine stopped; queued again for the next start")
                        : (TrainingJobState.Cancelled, "cancelled on request");
                    await FinishAsync(running, state, reason, null, meter).ConfigureAwait(false);
                }
            }
            catch (TransientTrainingException ex) when (job.Attempts < _options.MaxAttempts)
            {
                var retryAt = _time.GetUtcNow() + Backoff(job.Attempts);
                TrainingLog.RetryScheduled(_logger, ex, job.Id, job.Attempts, retryAt);
                await FinishAsync(running, TrainingJobState.Queued, Describe(ex), retryAt, meter).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                string reason = ex is TransientTrainingException
                    ? $"{Describe(ex)} (transient, but all {_options.MaxAttempts} attempts are used)"
                    : Describe(ex);
                TrainingLog.JobFailed(_logger, ex, job.Id, job.ModelKey, reason);
                await FinishAsync(running, TrainingJobState.Failed, reason, null, meter).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // A store failure while recording the outcome: the lease will lapse and recovery will pick the job up.
            TrainingLog.WriteFailed(_logger, ex, running.JobId);
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(running.JobId);
                _busyModels.Remove(running.ModelKey);
            }

            running.Dispose();
            NotifyChanged();
        }
    }

    private async Task<TrainingJob?> ClaimAsync(RunningJob running)
    {
        var job = await _store.FindAsync(running.JobId, CancellationToken.None).ConfigureAwait(false);
        if (job is null || job.State != TrainingJobState.Queued)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (running.Token.IsCancellationRequested)
        {
            await _store.TryUpdateAsync(job.TransitionTo(TrainingJobState.Cancelled, now), "cancelled on request", CancellationToken.None)
                .ConfigureAwait(false);
            return null;
        }

        var next = job.TransitionTo(TrainingJobState.Running, now) with
        {
            Attempts = job.Attempts + 1,
            StartedAt = now,
            NotBefore = null,
            Progress = null,
            LeaseOwner = InstanceId,
            LeaseExpiresAt = now + _options.LeaseDuration,
        };
        var stored = await _store.TryUpdateAsync(next, job.Attempts == 0 ? null : $"attempt {next.Attempts}", CancellationToken.None)
            .ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        await running.WriteLock.WaitAsync().ConfigureAwait(false);
        running.Current = stored;
        running.WriteLock.Release();
        running.Heartbeat = _time.CreateTimer(
            _ => _ = HeartbeatAsync(running), null, _options.HeartbeatInterval, _options.HeartbeatInterval);
        NotifyChanged();
        return stored;
    }

    private async Task<TrainingResult> TrainAsync(RunningJob running, TrainingJob job)
    {
        if (!_trainers.TryGetValue(job.ModelType, out var trainer))
        {
            throw new InvalidOperationException(
                $"No trainer is registered for model type '{job.ModelType}'; registered: {string.Join(", ", _trainers.Keys.Order(StringComparer.Ordinal))}.");
        }

        var data = await _dataProvider.GetDataAsync(job, running.Token).ConfigureAwait(false);
        var context = TrainingContext.ForJob(data, job.Parameters, job.Seed, running, _logger, running.Gate);
        if (job.TuneHyperparameters)
        {
            if (trainer is not ITunableTrainer tunable)
            {
                throw new InvalidOperationException($"Trainer '{job.ModelType}' declares no hyperparameter space to tune.");
            }

            var search = await GridSearch.RunAsync(tunable, context, running.Token).ConfigureAwait(false);
            context = TrainingContext.ForJob(data, search.BestParameters, job.Seed, running, _logger, running.Gate);
        }

        return await trainer.TrainAsync(context, running.Token).ConfigureAwait(false);
    }

    /// <summary>Records the result, first waiting out a pause: a paused job does not complete until resumed.</summary>
    private async Task CompleteAsync(RunningJob running, TrainingResult result, ResourceMeter meter)
    {
        while (true)
        {
            await running.Gate.WaitAsync(running.Token).ConfigureAwait(false);
            await running.WriteLock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (running.Current!.State == TrainingJobState.Paused)
                {
                    continue;
                }

                var usage = meter.Stop(_time);
                var next = running.Current.TransitionTo(TrainingJobState.Completed, _time.GetUtcNow()) with
                {
                    Metrics = result.ValidationMetrics,
                    ParametersUsed = result.Parameters,
                    Artifact = result.Artifact,
                    ResourceUsage = usage,
                    Progress = new TrainingProgress(100.0, "completed", result.ValidationMetrics),
                    FailureReason = null,
                    LeaseOwner = null,
                    LeaseExpiresAt = null,
                };
                if (await WriteAsync(running, next, null).ConfigureAwait(false) is not null)
                {
                    running.Done = true;
                    TrainingLog.JobCompleted(_logger, next.Id, next.ModelKey, usage.WallTime);
                }

                return;
            }
            finally
            {
                running.WriteLock.Release();
            }
        }
    }

    private async Task FinishAsync(RunningJob running, TrainingJobState state, string reason, DateTimeOffset? notBefore, ResourceMeter meter)
    {
        await running.WriteLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var next = running.Current!.TransitionTo(state, _time.GetUtcNow()) with
            {
                FailureReason = state == TrainingJobState.Cancelled ? running.Current.FailureReason : reason,
                NotBefore = notBefore,
                ResourceUsage = meter.Stop(_time),
                Progress = running.LatestProgress ?? running.Current.Progress,
                LeaseOwner = null,
                LeaseExpiresAt = null,
            };
            var stored = await WriteAsync(running, next, reason).ConfigureAwait(false);
            running.Done = true;
            if (stored is null)
            {
                return;
            }

            if (state != TrainingJobState.Failed)
            {
                TrainingLog.JobStopped(_logger, stored.Id, state, reason);
            }

            if (state == TrainingJobState.Queued && !running.ShuttingDown)
            {
                lock (_lock)
                {
                    AddToQueue(stored);
                }
            }
        }
        finally
        {
            running.WriteLock.Release();
        }
    }

    private async Task HeartbeatAsync(RunningJob running)
    {
        try
        {
            await running.WriteLock.WaitAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            if (running.Done || running.Current is null)
            {
                return;
            }

            var now = _time.GetUtcNow();
            var next = running.Current with
            {
                UpdatedAt = now,
                LeaseExpiresAt = now + _options.LeaseDuration,
                Progress = running.LatestProgress ?? running.Current.Progress,
            };
            await WriteAsync(running, next, null).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            TrainingLog.WriteFailed(_logger, ex, running.JobId);
        }
        finally
        {
            running.WriteLock.Release();
        }
    }

    /// <summary>Writes under the job's write lock; on a version conflict the lease is lost, so the run is cancelled.</summary>
    private async Task<TrainingJob?> WriteAsync(RunningJob running, TrainingJob next, string? reason)
    {
        var stored = await _store.TryUpdateAsync(next, reason, CancellationToken.None).ConfigureAwait(false);
        if (stored is null)
        {
            running.LeaseLost = true;
            running.Done = true;
            running.Cancel(shuttingDown: false);
            TrainingLog.LeaseLost(_logger, running.JobId);
            return null;
        }

        running.Current = stored;
        NotifyChanged();
        return stored;
    }

    private TimeSpan Backoff(int attempt)
    {
        double factor = Math.Pow(2, attempt - 1);
        double ticks = Math.Min(_options.RetryBaseDelay.Ticks * factor, _options.RetryMaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
