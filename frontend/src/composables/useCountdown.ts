import { computed, onScopeDispose, ref } from 'vue'

/** useCountdown counts whole seconds down to zero and then calls onDone once. */
export function useCountdown(seconds: number, onDone: () => void) {
  const remaining = ref(seconds)
  const running = ref(false)
  let timer: ReturnType<typeof setInterval> | null = null

  function stop() {
    if (timer !== null) clearInterval(timer)
    timer = null
    running.value = false
  }

  function start() {
    stop()
    remaining.value = seconds
    running.value = true
    timer = setInterval(() => {
      remaining.value = Math.max(0, remaining.value - 1)
      if (remaining.value === 0) {
        stop()
        onDone()
      }
    }, 1000)
  }

  const fraction = computed(() => (seconds > 0 ? remaining.value / seconds : 0))
  onScopeDispose(stop)
  return { remaining, running, fraction, start, stop }
}
