import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { toAppError } from '@/bindings/errors'

/**
 * useSetupMessage keeps one result line of a setup panel: the panel reserves its space, so
 * nothing moves when a message appears. Errors are worded from the setup area's own texts
 * first (setup.errors.<code>), then the shared ones.
 */
export function useSetupMessage() {
  const { t, te } = useI18n()
  const text = ref('')
  const bad = ref(false)
  const busy = ref(false)

  function show(message: string, isError = false) {
    text.value = message
    bad.value = isError
  }

  function fail(err: unknown) {
    const code = toAppError(err).code
    show(te(`setup.errors.${code}`) ? t(`setup.errors.${code}`) : t(`errors.${code}`), true)
  }

  /** run shows progress, then the result or the error. */
  async function run<T>(progress: string, call: () => Promise<T>, done: (v: T) => string) {
    busy.value = true
    show(progress)
    try {
      show(done(await call()))
    } catch (err) {
      fail(err)
    } finally {
      busy.value = false
    }
  }

  return { text, bad, busy, show, fail, run }
}
