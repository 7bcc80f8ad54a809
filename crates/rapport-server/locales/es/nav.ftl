# Los grupos del menú: los pasos del programa (web/nav.rs).
nav-group-plan = Planificar
nav-group-listen = Escuchar
nav-group-measure = Medir
nav-group-act = Actuar
nav-group-improve = Mejorar
nav-group-people = Equipo
nav-group-open = Abrir el menú { $group }
nav-council = Consejo CX
nav-diagnostic = Diagnóstico
nav-gaps = Análisis de brechas
nav-root-causes = Causas raíz
nav-comms = Plan de comunicación
