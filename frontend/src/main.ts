import { createApp } from 'vue'
import { createPinia } from 'pinia'
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/700.css'
import './styles/base.css'
import App from './App.vue'
import { createAppRouter } from './router'
import { createAppI18n } from './i18n'
import { installErrorReporting } from './errors'

const app = createApp(App)
const pinia = createPinia()
const i18n = createAppI18n()
app.use(pinia)
app.use(createAppRouter())
app.use(i18n)
installErrorReporting(app, i18n.global.t)
app.mount('#app')
