import { createApp } from 'vue'
import { createPinia } from 'pinia'
// The bundled CJK font, the same files the station loads: nothing is fetched from outside.
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/700.css'
import './styles/console.css'
import App from './App.vue'
import { api } from './api'
import { createConsoleRouter, installUnauthorized } from './router'
import { createConsoleI18n, savedLocale } from './i18n'

const app = createApp(App)
app.use(createPinia())
const router = createConsoleRouter()
installUnauthorized(api, router)
app.use(router)
app.use(createConsoleI18n(savedLocale()))
app.mount('#console')
