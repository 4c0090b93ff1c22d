"""Write this folder's notebooks: one correct notebook and variants with one planted mistake each.

Run with ``python submissions/unlp_clase9/_generar.py``; the grader skips files starting with
``_``. Every variant is the correct notebook with a few lines replaced (each replacement must
apply exactly once) and a first markdown cell saying what was planted, so a difference in
score comes from that mistake alone. What each mistake does under Keras 3 and which check
should catch it: NOTES-unlp15.md.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

CELLS = [
    ("md", """# Clase 9 - Tópicos avanzados

Aprendizaje Automático Profundo (UNLP). Redes residuales, batch normalization y dropout, salvar y
cargar modelos, transferencia de aprendizaje, ensembles, optimizadores, autoencoders y GANs."""),
    ("code", """import numpy as np
import keras
from keras.layers import (Input, Conv2D, Add, Activation, GlobalAveragePooling2D, Dense, Flatten,
                          Dropout, BatchNormalization, MaxPooling2D, UpSampling2D, Reshape, LeakyReLU)
from keras.models import Model, Sequential, load_model
from keras.applications.mobilenet import MobileNet
from keras.datasets import cifar10, mnist
from keras.utils import to_categorical

keras.utils.set_random_seed(0)"""),
    ("md", """## Actividad 1: bloque bottleneck

Reducir con una conv 1x1, aplicar la conv 3x3 sobre menos canales y expandir con otra 1x1: menor
coste computacional."""),
    ("code", """def bottleneck(x,n_reduction,n_expansion):
    x = Conv2D(n_reduction,(1,1),padding="same",activation="relu")(x)
    x = Conv2D(n_reduction,(3,3),padding="same",activation="relu")(x)
    x = Conv2D(n_expansion,(1,1),padding="same",activation="relu")(x)
    return x

input = Input(shape=(32,32,256))
modelo_bottleneck = Model(inputs=input, outputs=bottleneck(input,64,256))
modelo_bottleneck.summary()"""),
    ("md", """## Actividad 2: bloque bottleneck residual

El bloque aprende una modificación de la entrada: la salida es `entrada + x_mod`, con las mismas
dimensiones que la entrada."""),
    ("code", """def residual_bottleneck(x,n_reduction,n_expansion):
    x_mod=x
    x_mod = Conv2D(n_reduction,(1,1),activation="relu")(x_mod)
    # padding same: si no, la 3x3 achica el mapa y no se puede sumar con x
    x_mod = Conv2D(n_reduction,(3,3),padding="same",activation="relu")(x_mod)
    x_mod = Conv2D(n_expansion,(1,1),activation=None)(x_mod)
    new_x = Add()([x, x_mod])
    new_x = Activation("relu")(new_x) # mismas dimensiones
    return new_x

input = Input(shape=(32,32,256))
modelo_residual = Model(inputs=input, outputs=residual_bottleneck(input,64,256))
modelo_residual.summary()"""),
    ("md", """## Actividad 3: ResNet

Conv 7x7 con stride 2, cuatro etapas de bloques residuales y al final GlobalAveragePooling y la
capa softmax. Para CIFAR-10: entrada 32x32x3 y 10 clases."""),
    ("code", """def ResNet50(input_shape,classes):
    input = Input(shape=input_shape)
    x = Conv2D(64,(7,7),strides=(2,2),padding="same",activation="relu")(input)
    reductions = [64,128,256,512]
    blocks      = [3,4,6,3]
    for i,(block_n,reduction) in enumerate(zip(blocks,reductions)):
        expansion=reduction*2
        x = Conv2D(expansion,(3,3),strides=(2,2),padding="same",activation="relu")(x)
        for j in range(block_n):
            x = residual_bottleneck(x,reduction,expansion)
    # pooling y clasificador una sola vez, despues de todas las etapas
    x = GlobalAveragePooling2D(name="gap")(x)
    x = Dense(classes,activation="softmax")(x)
    model = Model(inputs=[input],outputs=[x])
    return model

model = ResNet50((32,32,3), 10)
model.summary()"""),
    ("md", """## Datos: CIFAR-10

Imágenes de 32x32x3 normalizadas a [0, 1] y etiquetas en one-hot."""),
    ("code", """(x_train, y_train), (x_test, y_test) = cifar10.load_data()
x_train = x_train/255.0
x_test = x_test/255.0
classes = 10
y_train = to_categorical(y_train, classes)
y_test = to_categorical(y_test, classes)
print(x_train.shape, y_train.shape)"""),
    ("md", """## Actividad 4: Batch Normalization y Dropout"""),
    ("code", """input_shape=(32,32,3)
classes=10

model = Sequential()
model.add(Conv2D(32,(3,3),input_shape=input_shape,activation="relu"))
model.add(Flatten())
model.add(Dense(64,activation="relu"))
# Agrego Dropout con probabilidad de 0.7
model.add(Dropout(1-0.7)) #recibe 1-p
model.add(Dense(128,activation="relu"))
# Agrego Dropout con probabilidad de 0.5
model.add(Dropout(1-0.5)) #recibe 1-p
model.add(Dense(classes,activation="softmax"))
print(model.summary())"""),
    ("code", """conv_filters = 32
dense_filters = 128

model_bn = Sequential()
model_bn.add(Conv2D(conv_filters,(3,3),activation="relu",input_shape=input_shape))
model_bn.add(BatchNormalization())
model_bn.add(Flatten())
model_bn.add(Dense(dense_filters, activation="relu"))
model_bn.add(BatchNormalization())
model_bn.add(Dense(classes, activation="softmax"))
model_bn.summary()"""),
    ("md", """## Actividad 5: salvar y cargar modelos

Opción 1: todo el modelo en un archivo HDF5. Opción 2: solo los pesos (en Keras 3 el nombre tiene
que terminar en `.weights.h5`)."""),
    ("code", """model.compile(optimizer='adam',loss='categorical_crossentropy',metrics=['accuracy'])
model.fit(x_train,y_train,epochs=5,batch_size=32)
model.save("ungranmodelo.h5")
model.save_weights("pesos_de_ungranmodelo.weights.h5")

model = load_model('ungranmodelo.h5')
model.summary()"""),
    ("md", """## Actividad 6: transferencia de aprendizaje

MobileNet preentrenada en ImageNet, sin la capa de salida, con las capas congeladas. Arriba: GAP,
Dense de 128 y la nueva capa de salida."""),
    ("code", """base_model=MobileNet(input_shape=(32,32,3),weights='imagenet',include_top=False)

for layer in base_model.layers:
    layer.trainable=False # capas "congeladas" no se entranan

output = GlobalAveragePooling2D()(base_model.output)
output = Dense(128,activation='relu')(output)
output = Dense(classes,activation='softmax')(output)
model=Model(inputs=base_model.input,outputs=output)

model.compile(optimizer='Adam',loss='categorical_crossentropy',
              metrics=['accuracy'])
model.summary()"""),
    ("code", """#Entrenar con nuevos datos
model.fit(x_train,y_train,epochs=20)"""),
    ("md", """## Actividad 7: finetuning

Igual que el anterior, pero sin congelar pesos: se reentrena todo el modelo."""),
    ("code", """base_model=MobileNet(input_shape=(32,32,3),weights='imagenet',include_top=False)

output = GlobalAveragePooling2D()(base_model.output)
output = Dense(128,activation='relu')(output)
output = Dense(classes,activation='softmax')(output)
model=Model(inputs=base_model.input,outputs=output)

model.compile(optimizer='Adam',loss='categorical_crossentropy',
              metrics=['accuracy'])
model.fit(x_train,y_train,epochs=20)"""),
    ("md", """## Actividad 8: ensemble de modelos

Entrenar `n_models` modelos, guardarlos, cargarlos y promediar sus predicciones."""),
    ("code", """n_models = 3

def definir_modelo():
    model = Sequential()
    model.add(Conv2D(32,(3,3),input_shape=input_shape,activation="relu"))
    model.add(Flatten())
    model.add(Dense(64,activation="relu"))
    model.add(Dropout(1-0.7))
    model.add(Dense(128,activation="relu"))
    model.add(Dropout(1-0.5))
    model.add(Dense(classes,activation="softmax"))
    model.compile(optimizer='adam',loss='categorical_crossentropy',metrics=['accuracy'])
    return model

for i in range(n_models):
    model = definir_modelo() # definir modelo
    model.fit(x_train,y_train,epochs=10) # entrenar
    model.save(f"modelo{i}.h5") # guardar"""),
    ("code", """def probabilities2labels(probabilities):
    return np.argmax(probabilities, axis=1)

models = [load_model(f"modelo{i}.h5") for i in range(n_models)]
probabilities = [model.predict(x_test) for model in models]
average_probabilities=probabilities[0].copy() #inicializo con el 1ro
for i in range(1,n_models):
    average_probabilities+=probabilities[i]
average_probabilities/=n_models
predictions=probabilities2labels(average_probabilities)
print("accuracy del ensemble:", np.mean(predictions == np.argmax(y_test, axis=1)))"""),
    ("md", """## Actividad 9: optimizadores, inicialización y cronograma de tasa de aprendizaje

El modelo de la clase sobre MNIST (c1, mp1, c2, mp2, fc1, fc2). Inicialización He en las capas con
ReLU; SGD con momentum; después, una tasa de aprendizaje que decae exponencialmente."""),
    ("code", """(x_train_m, y_train_m), (x_test_m, y_test_m) = mnist.load_data()
x_train_m = np.reshape(x_train_m, [-1, 28, 28, 1])/255.0
x_test_m = np.reshape(x_test_m, [-1, 28, 28, 1])/255.0
y_train_m = to_categorical(y_train_m, 10)
y_test_m = to_categorical(y_test_m, 10)"""),
    ("code", """def modelo_mnist():
    model = Sequential()
    model.add(Input(shape=(28,28,1)))
    model.add(Conv2D(32,(3,3),padding="same",activation="relu",name="c1",
                     kernel_initializer='he_uniform', bias_initializer='zeros'))
    model.add(MaxPooling2D((2,2),name="mp1"))
    model.add(Conv2D(64,(3,3),strides=(2,2),padding="same",activation="relu",name="c2",
                     kernel_initializer='he_uniform', bias_initializer='zeros'))
    model.add(MaxPooling2D((2,2),name="mp2"))
    model.add(Flatten())
    model.add(Dense(512,activation="relu",name="fc1",kernel_initializer='he_uniform', bias_initializer='zeros'))
    model.add(Dense(10,activation="softmax",name="fc2",kernel_initializer='glorot_uniform', bias_initializer='zeros'))
    return model

model = modelo_mnist()
opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9) # en Keras 3 es learning_rate, no lr
model.compile(loss='categorical_crossentropy',optimizer=opt,metrics=['accuracy'])
model.fit(x_train_m,y_train_m,epochs=5,batch_size=32)
model.summary()"""),
    ("code", """# alfa alto al principio y cada vez mas chico
lr_schedule = keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=0.01,
                                                          decay_steps=1000, decay_rate=0.9)
opt = keras.optimizers.SGD(learning_rate=lr_schedule, momentum=0.9)
model_cronograma = modelo_mnist()
model_cronograma.compile(loss='categorical_crossentropy',optimizer=opt,metrics=['accuracy'])
model_cronograma.fit(x_train_m,y_train_m,epochs=5,batch_size=32)"""),
    ("md", """## Actividad 10: autoencoders

Tres modelos: encoder, decoder y autoencoder = decoder(encoder(x)). Primero el de la clase (una capa
Dense a un vector latente de 64); después uno profundo 784-128-64-36-18-9 y de vuelta."""),
    ("code", """def load_data():
    (x_train, _), (x_test, _) = mnist.load_data()
    input_dim = 28*28
    x_train = np.reshape(x_train, [-1, input_dim])/255.0
    x_test = np.reshape(x_test, [-1, input_dim])/255.0

    return x_train,x_test,input_dim

def DenseAutoencoder(input_dim,latent_dim):
    def generate_encoder():
        encoder_input = Input(shape=(input_dim,), name='encoder_input')
        code = Dense(latent_dim, name='latent_vector')(encoder_input)
        encoder = Model(encoder_input, code, name='encoder')
        return encoder,encoder_input

    def generate_decoder():
        latent_input = Input(shape=(latent_dim,), name='decoder_input')
        decoded_image = Dense(input_dim,activation="sigmoid",name='decoder_output')(latent_input)
        decoder = Model(latent_input, decoded_image, name='decoder')
        return decoder

    encoder,encoder_input = generate_encoder()
    decoder = generate_decoder()
    autoencoder = Model(encoder_input, decoder(encoder(encoder_input)), name='autoencoder')
    return autoencoder,encoder,decoder"""),
    ("code", """x_train_ae,x_test_ae,input_dim = load_data()
latent_dim = 64
autoencoder,encoder,decoder=DenseAutoencoder(input_dim,latent_dim)
autoencoder.compile(loss='binary_crossentropy', optimizer='adam')

autoencoder.fit(x_train_ae,x_train_ae,
                 validation_data=(x_test_ae, x_test_ae),
                 epochs=10, batch_size=128)
x_decoded = autoencoder.predict(x_test_ae)"""),
    ("code", """def DeepDenseAutoencoder(input_dim):
    # encoder: 784 -> 128 -> 64 -> 36 -> 18 -> 9
    encoder_input = Input(shape=(input_dim,), name='encoder_input')
    x = Dense(128, activation="relu")(encoder_input)
    x = Dense(64, activation="relu")(x)
    x = Dense(36, activation="relu")(x)
    x = Dense(18, activation="relu")(x)
    code = Dense(9, name='latent_vector')(x)
    encoder = Model(encoder_input, code, name='encoder')
    # decoder: 9 -> 18 -> 36 -> 64 -> 128 -> 784
    latent_input = Input(shape=(9,), name='decoder_input')
    x = Dense(18, activation="relu")(latent_input)
    x = Dense(36, activation="relu")(x)
    x = Dense(64, activation="relu")(x)
    x = Dense(128, activation="relu")(x)
    decoded_image = Dense(input_dim, activation="sigmoid", name='decoder_output')(x)
    decoder = Model(latent_input, decoded_image, name='decoder')
    autoencoder = Model(encoder_input, decoder(encoder(encoder_input)), name='autoencoder')
    return autoencoder,encoder,decoder

autoencoder_profundo,encoder_profundo,decoder_profundo = DeepDenseAutoencoder(input_dim)
autoencoder_profundo.compile(loss='binary_crossentropy', optimizer='adam')
autoencoder_profundo.fit(x_train_ae,x_train_ae,
                          validation_data=(x_test_ae, x_test_ae),
                          epochs=10, batch_size=128)
autoencoder_profundo.summary()"""),
    ("md", """## Actividad 11: denoising autoencoder convolucional

Entrenar con imágenes con ruido como entrada y las originales como salida."""),
    ("code", """def load_data(noise_location,noise_strength):
    (x_train, _), (x_test, _) = mnist.load_data()

    image_size = x_train.shape[1]
    x_train = np.reshape(x_train, [-1, 28,28, 1])/255.0
    x_test = np.reshape(x_test, [-1, 28,28, 1])/255.0
    input_shape = (28,28, 1)

    # Genera muestras de MNIST corrompidas por el ruido
    # centrado en noise_location y con fuerza noise_strength
    noise = np.random.normal(loc=noise_location, scale=noise_strength, size=x_train.shape)
    x_train_noisy = x_train + noise
    noise = np.random.normal(loc=noise_location, scale=noise_strength, size=x_test.shape)
    x_test_noisy = x_test + noise

    x_train_noisy = np.clip(x_train_noisy, 0., 1.) # restrinjo al rango 0-1
    x_test_noisy = np.clip(x_test_noisy, 0., 1.) # restrinjo al rango 0-1
    return x_train,x_train_noisy,x_test,x_test_noisy,input_shape

x_train_d,x_train_noisy,x_test_d,x_test_noisy,input_shape = load_data(0.5, 0.1)"""),
    ("code", """input_shape = (28,28,1)
encoder_input = Input(shape=input_shape, name='encoder_input')
x = Conv2D(16, (3, 3), activation='relu', padding='same')(encoder_input)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
x = MaxPooling2D((2, 2), padding='same')(x)
encoded_shape = tuple(x.shape[1:]) # K.int_shape ya no existe en Keras 3
encoder = Model(encoder_input, x, name='encoder')

latent_input = Input(shape=encoded_shape, name='decoder_input')
x = Conv2D(8, (3, 3), activation='relu', padding='same')(latent_input)
x = UpSampling2D((2, 2))(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
x = UpSampling2D((2, 2))(x)
x = Conv2D(16, (3, 3), activation='relu')(x)
x = UpSampling2D((2, 2))(x)
x = Conv2D(1, (3, 3), activation='sigmoid', padding='same')(x)
decoder = Model(latent_input, x, name='decoder')

autoencoder = Model(encoder_input, decoder(encoder(encoder_input)), name='autoencoder')
autoencoder.compile(loss='binary_crossentropy', optimizer='adam')
autoencoder.summary()"""),
    ("code", """batch_size = 128
autoencoder.fit(x_train_noisy,
                 x_train_d,
                 validation_data=(x_test_noisy,x_test_d),
                 epochs=30,
                 batch_size=batch_size)
x_restaurado = autoencoder.predict(x_test_noisy[:10])"""),
    ("md", """## Actividad 12: GAN

La generadora transforma un vector de ruido en una imagen; la discriminadora dice si una imagen
es real o generada. `GAN = discriminadora(generadora(x))`: al entrenar la GAN la discriminadora
está congelada, así solo se entrenan los pesos de la generadora."""),
    ("code", """latent_dim = 100

def crear_generadora():
    ruido = Input(shape=(latent_dim,))
    x = Dense(128)(ruido)
    x = LeakyReLU(negative_slope=0.2)(x)
    x = Dense(28*28, activation="sigmoid")(x)
    imagen = Reshape((28,28,1))(x)
    return Model(ruido, imagen, name="generadora")

def crear_discriminadora():
    imagen = Input(shape=(28,28,1))
    x = Flatten()(imagen)
    x = Dense(128)(x)
    x = LeakyReLU(negative_slope=0.2)(x)
    salida = Dense(1, activation="sigmoid")(x)
    discriminadora = Model(imagen, salida, name="discriminadora")
    discriminadora.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
    return discriminadora

generadora = crear_generadora()
discriminadora = crear_discriminadora()

discriminadora.trainable = False # congelo la discriminadora dentro de la GAN
x = Input(shape=(latent_dim,))
GAN = Model(x, discriminadora(generadora(x)))
GAN.compile(loss='binary_crossentropy', optimizer='adam')
GAN.summary()"""),
    ("code", """(x_train_g, _), (_, _) = mnist.load_data()
x_train_g = np.reshape(x_train_g, [-1, 28, 28, 1])/255.0

epochs = 50
k = 32 # K imagenes por paso
for i in range(epochs):
    ruido = np.random.normal(0, 1, size=(k, latent_dim)) # K vectores de ruido
    falsas = generadora.predict(ruido, verbose=0) # K imagenes falsas
    reales = x_train_g[np.random.randint(0, x_train_g.shape[0], k)] # K imagenes verdaderas
    x_disc = np.concatenate([reales, falsas])
    y_disc = np.concatenate([np.ones((k, 1)), np.zeros((k, 1))])
    discriminadora.trainable = True # descongelo para entrenar la discriminadora
    d_loss = discriminadora.train_on_batch(x_disc, y_disc)
    discriminadora.trainable = False # congelo: la GAN solo entrena la generadora
    ruido = np.random.normal(0, 1, size=(k, latent_dim))
    g_loss = GAN.train_on_batch(ruido, np.ones((k, 1)))
print("loss discriminadora:", d_loss, "loss GAN:", g_loss)"""),
]


def replace_once(text, old, new):
    assert text.count(old) == 1, f"expected exactly one {old!r}"
    return text.replace(old, new)


VARIANTS = {
    "correcto": ("", []),
    "trampa_bottleneck": (
        "**Nota del fixture (no es parte del trabajo del estudiante).** La función `bottleneck` está "
        "copiada tal cual de las diapositivas: cada `x = Conv2D(...)` crea una capa pero no la aplica a `x`, "
        "así que la función devuelve una capa `Conv2D` y no un tensor. `Model(inputs=input, "
        "outputs=bottleneck(input,64,256))` falla (actividad 1); el resto del notebook es correcto.",
        [("""    x = Conv2D(n_reduction,(1,1),padding="same",activation="relu")(x)
    x = Conv2D(n_reduction,(3,3),padding="same",activation="relu")(x)
    x = Conv2D(n_expansion,(1,1),padding="same",activation="relu")(x)
    return x""", """    x = Conv2D(n_reduction,(1,1),padding="same",activation="relu")
    x = Conv2D(n_reduction,(3,3),padding="same",activation="relu")
    x = Conv2D(n_expansion,(1,1),padding="same",activation="relu")
    return x""")]),
    "trampa_indentacion": (
        "**Nota del fixture (no es parte del trabajo del estudiante).** En `ResNet50` las líneas de "
        "`GlobalAveragePooling2D` y `Dense` quedaron indentadas dentro del `for` de las etapas, como en las "
        "diapositivas: después de la primera etapa el tensor ya es (None, 10) y la Conv2D de la segunda "
        "etapa falla (actividad 3). El resto del notebook es correcto.",
        [("""            x = residual_bottleneck(x,reduction,expansion)
    # pooling y clasificador una sola vez, despues de todas las etapas
    x = GlobalAveragePooling2D(name="gap")(x)
    x = Dense(classes,activation="softmax")(x)
""", """            x = residual_bottleneck(x,reduction,expansion)
        x = GlobalAveragePooling2D(name="gap")(x)
        x = Dense(classes,activation="softmax")(x)
""")]),
    "trampa_padding": (
        "**Nota del fixture (no es parte del trabajo del estudiante).** `residual_bottleneck` está copiada "
        "tal cual de las diapositivas: la conv 3x3 no tiene `padding=\"same\"`, la rama residual sale 2 píxeles "
        "más chica que la entrada del bloque y `Add` falla (actividad 2, y por lo tanto también la ResNet de "
        "la actividad 3). El resto del notebook es correcto.",
        [("""    # padding same: si no, la 3x3 achica el mapa y no se puede sumar con x
    x_mod = Conv2D(n_reduction,(3,3),padding="same",activation="relu")(x_mod)""",
          """    x_mod = Conv2D(n_reduction,(3,3),activation="relu")(x_mod)""")]),
    "transferencia_sin_congelar": (
        "**Nota del fixture (no es parte del trabajo del estudiante).** En la transferencia de aprendizaje "
        "(actividad 6) falta el `for` que congela las capas de `base_model`: la MobileNet se entrena entera, "
        "como en el finetuning. El resto del notebook es correcto.",
        [("""base_model=MobileNet(input_shape=(32,32,3),weights='imagenet',include_top=False)

for layer in base_model.layers:
    layer.trainable=False # capas "congeladas" no se entranan

""", """base_model=MobileNet(input_shape=(32,32,3),weights='imagenet',include_top=False)

""")]),
    "gan_sin_congelar": (
        "**Nota del fixture (no es parte del trabajo del estudiante).** La discriminadora nunca se congela "
        "(actividad 12): el modelo `GAN` entrena también los pesos de la discriminadora, que aprende a "
        "decir \"real\" a las imágenes generadas. El resto del notebook es correcto.",
        [("""discriminadora.trainable = False # congelo la discriminadora dentro de la GAN
x = Input""", """x = Input"""),
         ("""    discriminadora.trainable = True # descongelo para entrenar la discriminadora
    d_loss""", """    d_loss"""),
         ("""    discriminadora.trainable = False # congelo: la GAN solo entrena la generadora
    ruido""", """    ruido""")]),
    "correcto_anidado": (
        "**Nota del fixture (no es parte del trabajo del estudiante).** Correcto, escrito distinto: en la "
        "transferencia de aprendizaje (actividad 6) la MobileNet se congela con `base_model.trainable = False` "
        "y se usa como una capa de un `Sequential` (el modismo de la guía de Keras), en vez del modelo plano de "
        "las diapositivas. Mismas capas y mismos conteos (3.361.354 parámetros, 132.490 entrenables): debe "
        "sacar la nota máxima.",
        [("""base_model=MobileNet(input_shape=(32,32,3),weights='imagenet',include_top=False)

for layer in base_model.layers:
    layer.trainable=False # capas "congeladas" no se entranan

output = GlobalAveragePooling2D()(base_model.output)
output = Dense(128,activation='relu')(output)
output = Dense(classes,activation='softmax')(output)
model=Model(inputs=base_model.input,outputs=output)
""", """base_model=MobileNet(input_shape=(32,32,3),weights='imagenet',include_top=False)
base_model.trainable = False # congelo toda la red base

model = Sequential([base_model,
                    GlobalAveragePooling2D(),
                    Dense(128,activation='relu'),
                    Dense(classes,activation='softmax')])
""")]),
}


def notebook(variant: str):
    note, replacements = VARIANTS[variant]
    cells = list(CELLS)
    for old, new in replacements:
        hits = [i for i, (_, text) in enumerate(cells) if old in text]
        assert len(hits) == 1, f"{variant}: {old[:40]!r} found in cells {hits}"
        kind, text = cells[hits[0]]
        cells[hits[0]] = (kind, replace_once(text, old, new))
    if note:
        cells.insert(0, ("md", note))
    nb = new_notebook()
    nb.metadata = {
        "grader": {"assignment": "unlp_clase9"},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for number, (kind, text) in enumerate(cells):
        cell = new_markdown_cell(text) if kind == "md" else new_code_cell(text)
        cell.id = f"cell-{number:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main():
    for variant in VARIANTS:
        nbformat.write(notebook(variant), HERE / f"{variant}.ipynb")


if __name__ == "__main__":
    main()
