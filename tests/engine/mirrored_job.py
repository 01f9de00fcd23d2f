"""Two-replica MirroredStrategy training, run as a script by test_scale.py.

Logical devices must be configured before TensorFlow starts, hence a process of
its own: two logical CPU devices stand in for two GPUs.
"""

import json

import tensorflow as tf

if __name__ == "__main__":
    (cpu,) = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )
    from sklearn.datasets import load_iris
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from sklkeras import MLPClassifier

    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    # One held-out split (a mirrored step costs ~20x a plain one on CPUs).
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=50, stratify=y, random_state=0
    )
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    params = dict(
        hidden_layer_sizes=(16,),
        epochs=60,
        batch_size=16,
        learning_rate_init=0.01,
        random_state=0,
    )
    mirrored = MLPClassifier(**params, distribution=strategy)
    mirrored.fit(X_train, y_train)
    single = MLPClassifier(**params).fit(X_train, y_train)
    variable = mirrored.model_.weights[0].value
    print(
        json.dumps(
            {
                "replicas": strategy.num_replicas_in_sync,
                "variable_type": type(variable).__name__,
                "devices": sorted({v.device for v in getattr(variable, "values", [])}),
                "mirrored_score": float(mirrored.score(X_test, y_test)),
                "single_score": float(single.score(X_test, y_test)),
            }
        )
    )
